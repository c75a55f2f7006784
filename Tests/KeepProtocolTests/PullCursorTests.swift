import KeepCore
import KeepProtocol
import Testing

/// `PullCursor`: `<server replica id>.<change seq>`, bound to the store that gave it out.
@Suite struct PullCursorTests {
    let server = ReplicaID("5e5e5e5e5e5e5e5e")!
    let other = ReplicaID("0123456789abcdef")!

    @Test(arguments: [0, 1, 42, Int64.max])
    func roundTrip(_ seq: Int64) throws {
        let cursor = PullCursor(replica: server, seq: seq)
        #expect(cursor.description == "5e5e5e5e5e5e5e5e.\(seq)")
        #expect(try PullCursor(cursor.description, expectedReplica: server) == cursor)
    }

    @Test func anotherStoresCursorIsRefused() {
        let text = PullCursor(replica: other, seq: 7).description
        #expect {
            try PullCursor(text, expectedReplica: server)
        } throws: { error in
            let error = error as? SyncError
            return error?.code == .badCursor && error?.httpStatus == 400 && error?.message.contains("another store") == true
        }
    }

    @Test(arguments: [
        "", "garbage", "5e5e5e5e5e5e5e5e", "5e5e5e5e5e5e5e5e.", ".5", "5e5e5e5e5e5e5e5e.-1", "5e5e5e5e5e5e5e5e.1.2",
        "5E5E5E5E5E5E5E5E.1", "5e5e5e5e5e5e5e5e.x", "5e5e5e5e5e5e5e5e.99999999999999999999", "5e5e5e5e5e5e5e5e .1",
        "5e5e5e5e5e5e5e.1", "5e5e5e5e5e5e5e5e5e.1", "5e5e5e5e5e5e5e5e.1 ", "5e5e5e5e5e5e5e5e:1",
    ])
    func garbageIsRefused(_ text: String) {
        #expect {
            try PullCursor(text, expectedReplica: server)
        } throws: { error in
            let error = error as? SyncError
            return error?.code == .badCursor && error?.httpStatus == 400
        }
    }
}
