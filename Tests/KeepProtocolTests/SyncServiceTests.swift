import Foundation
import KeepCore
import KeepProtocol
import KeepStore
import KeepTestSupport
import Testing

/// `SyncService`: the server's side of push and pull over a real tenant store, at its limits.
@Suite struct SyncServiceTests {
    let folder = TemporaryFolder()
    let device = ReplicaID("a1a1a1a1a1a1a1a1")!

    private func service() throws -> SyncService {
        SyncService(store: try folder.store("server", agent: "server"), tenant: "corner-shop")
    }

    /// A record created on `device` with one field.
    private func created(_ name: String, counter: UInt64 = 1) -> RecordState {
        var state = RecordState(id: .random(), kind: .customer)
        state.write(["name": .text(name)], dot: Dot(replica: device, counter: counter), at: 1_763_805_600_000, by: "ana")
        return state
    }

    @Test func helloSaysWhoAndWhatTheServerIs() throws {
        let service = try service()
        let hello = try service.hello(device: "front-desk", deviceReplica: nil)
        #expect(hello.protocolVersion == ProtocolVersion.current)
        #expect(hello.oldestProtocol == ProtocolVersion.oldestSupported)
        #expect(hello.schema == ProtocolVersion.schema)
        #expect(hello.tenant == "corner-shop" && hello.device == "front-desk")
        #expect(hello.serverReplica == service.store.replicaID)
        #expect(hello.deviceReplica == nil)
        #expect(hello.limits == SyncService.limits)
    }

    @Test func pullPagesAreCutByBytesBeforeTheClientsLimit() throws {
        let service = try service()
        // 300 values of 100 KB: 30 MB, under the page's count limit but over one body.
        let text = String(repeating: "Η εξυπηρέτηση πελατών. ", count: 2_400)
        let records = (0..<300).map { index in created("\(index) \(text)", counter: UInt64(index + 1)) }
        for page in stride(from: 0, to: records.count, by: 100) {
            _ = try service.push(PushRequest(replica: device, records: Array(records[page..<page + 100])))
        }
        var cursor: String?
        var pulled = 0
        var pages = 0
        while true {
            let json = try service.pullJSON(cursor: cursor, limit: SyncService.limits.maxPullRecords)
            #expect(json.count <= SyncService.limits.maxBodyBytes + 4_096, "a page of \(json.count) bytes")
            let page = try JSONDecoder().decode(PullResponse.self, from: json)
            #expect(!page.records.isEmpty)
            pulled += page.records.count
            pages += 1
            cursor = page.cursor
            if !page.more { break }
        }
        #expect(pulled == 300 && pages >= 2)
    }

    @Test func aRecordOverTheSizeLimitIsRefused() throws {
        // Four concurrent values of 100,000 control characters, each written as a six-byte escape.
        let id = RecordID.random()
        let text = String(repeating: "\u{1}", count: 100_000)
        var state = RecordState(id: id, kind: .note)
        for _ in 1...4 {
            var concurrent = RecordState(id: id, kind: .note)
            concurrent.write(["text": .text(text)], dot: Dot(replica: ReplicaID.random(), counter: 1), at: 1, by: "ana")
            state = try Merge.records(state, concurrent)
        }
        #expect(state.canonicalJSON.count > RecordLimits.maxRecordBytes)
        #expect(RecordLimits.violation(in: state)?.contains("per record") == true)
        #expect(RecordLimits.violation(in: created("Ona")) == nil)
    }

    @Test func aPushOfMoreRecordsThanTheLimitIsTooLarge() throws {
        let service = try service()
        let records = (0...SyncService.limits.maxPushRecords).map { _ in RecordState(id: .random(), kind: .customer) }
        #expect {
            try service.push(PushRequest(replica: device, records: records))
        } throws: { error in
            (error as? SyncError)?.code == .tooLarge && (error as? SyncError)?.httpStatus == 413
        }
        #expect(try service.store.lastChangeSeq() == 0)
    }

    @Test func aPushNamingOneRecordTwiceIsRejected() throws {
        let service = try service()
        let state = created("Mrs Okafor")
        #expect {
            try service.push(PushRequest(replica: device, records: [state, created("Mr Adeyemi", counter: 2), state]))
        } throws: { error in
            (error as? SyncError)?.code == .rejectedRecord && (error as? SyncError)?.httpStatus == 422
        }
        #expect(try service.store.lastChangeSeq() == 0, "nothing of the push was kept")
    }

    @Test func theServersOwnReplicaCannotPush() throws {
        let service = try service()
        var state = RecordState(id: .random(), kind: .customer)
        state.write(["name": .text("Mrs Okafor")], dot: Dot(replica: service.store.replicaID, counter: 1), at: 0, by: "forger")
        #expect {
            try service.push(PushRequest(replica: service.store.replicaID, records: [state]))
        } throws: { error in
            (error as? SyncError)?.code == .replicaMismatch && (error as? SyncError)?.httpStatus == 403
        }
        #expect(throws: SyncError.self) { try service.checkDeviceReplica(service.store.replicaID) }
        try service.checkDeviceReplica(device)
        #expect(try service.store.lastChangeSeq() == 0)
    }

    @Test func anEmptyPushIsAnsweredAndChangesNothing() throws {
        let service = try service()
        #expect(try service.push(PushRequest(replica: device, records: [])) == PushResponse(received: 0, changed: 0, conflicted: 0))
    }

    @Test func aPullOfAnEmptyStoreIsOneEmptyPage() throws {
        let service = try service()
        let page = try service.pull(cursor: nil, limit: nil)
        #expect(page.records.isEmpty && !page.more)
        #expect(page.cursor == "\(service.store.replicaID).0")
    }

    @Test func aPullLimitOutsideTheBoundsIsABadRequest() throws {
        let service = try service()
        for limit in [0, -1, SyncService.limits.maxPullRecords + 1] {
            #expect {
                try service.pull(cursor: nil, limit: limit)
            } throws: { error in
                (error as? SyncError)?.code == .badRequest && (error as? SyncError)?.httpStatus == 400
            }
        }
        _ = try service.pull(cursor: nil, limit: SyncService.limits.maxPullRecords)
        _ = try service.pull(cursor: nil, limit: 1)
    }

    @Test func aPushAtTheLimitIsAcceptedAndAPullWithoutALimitReturnsAtMostTheMaximum() throws {
        let service = try service()
        let records = (1...SyncService.limits.maxPushRecords).map { created("customer \($0)", counter: UInt64($0)) }
        let answer = try service.push(PushRequest(replica: device, records: records))
        #expect(answer == PushResponse(received: records.count, changed: records.count, conflicted: 0))
        _ = try service.push(PushRequest(replica: device, records: [created("one more", counter: 5_000)]))
        let page = try service.pull(cursor: nil, limit: nil)
        #expect(page.records.count == SyncService.limits.maxPullRecords && page.more)
        let rest = try service.pull(cursor: page.cursor, limit: nil)
        #expect(rest.records.count == 1 && !rest.more)
    }

    @Test func theLimitsAreThoseTheSpecStates() {
        #expect(SyncService.limits == HelloResponse.Limits(maxPushRecords: 1_000, maxPullRecords: 1_000, maxBodyBytes: 16_777_216))
    }

    @Test func everyErrorCodeHasItsStatus() {
        for (code, status) in ErrorCatalog.statuses {
            let error = SyncError(code: code, message: "m")
            #expect(error.httpStatus == status, "\(code)")
            #expect(error.body.error == code.rawValue && error.body.message == "m")
        }
        #expect(SyncError(code: SyncError.Code(rawValue: "something_new"), message: "m").httpStatus == 500)
        #expect(SyncError.unauthorized.httpStatus == 401)
    }
}

/// Every error code of the protocol and the HTTP status that carries it, as `Sync/PROTOCOL.md` lists them.
enum ErrorCatalog {
    static let statuses: [(SyncError.Code, Int)] = [
        (.badRequest, 400), (.malformedJSON, 400), (.badCursor, 400), (.unauthorized, 401), (.forbidden, 403), (.suspended, 403),
        (.replicaMismatch, 403), (.notFound, 404), (.tooLarge, 413), (.rejectedRecord, 422), (.upgradeClient, 426),
        (.upgradeServer, 426), (.tooManyRequests, 429), (.internalError, 500), (.unavailable, 503),
    ]
}
