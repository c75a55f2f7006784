import Foundation
import KeepCore
import KeepStore
import Testing

/// `keep check` names the records this keep holds but cannot read (issue 12, item 4): before it they were
/// counted as received and hidden without a word.
@Suite("keep check")
struct CheckCommandTests {
    let keep: KeepProcess

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-check-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        keep = KeepProcess(storePath: folder + "/keep.sqlite")
        #expect(try keep.run("init", "--agent", "Ελένη").status == 0)
    }

    @Test func aReceivedCustomerWhoseNameIsNotTextIsListedWithTheReason() throws {
        #expect(try keep.run("check").stderr.contains("Every record can be read."))
        var state = RecordState(id: .random(), kind: .customer)
        state.write(
            [Customer.Field.name: .integer(7), Customer.Field.createdAt: .time(Date())],
            dot: Dot(replica: ReplicaID("b2b2b2b2b2b2b2b2")!, counter: 1),
            at: 1_763_805_600_000,
            by: "bea"
        )
        let store = try ReplicaStore.open(at: keep.storePath)
        _ = try store.merge([state])
        try store.close()

        let listed = try keep.run("check")
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains(state.id.short), "\(listed.stdout)")
        #expect(listed.stdout.contains("name"))
        #expect(listed.stdout.contains("the integer 7 is not a text"), "\(listed.stdout)")
        let json = try #require(try keep.run("check", "--json").json() as? [[String: Any]])
        #expect(json.count == 1)
        #expect(json.first?["id"] as? String == state.id.rawValue)
        #expect(json.first?["kind"] as? String == "customer")
        #expect(json.first?["field"] as? String == "name")
        #expect(try keep.run("customer", "list", "--json").stdout.contains(state.id.rawValue) == false)
    }
}
