import Foundation
import KeepCore
import KeepProtocol
import KeepStore
import KeepTestSupport
import Testing

/// The sync vectors of `Sync/vectors/sync/`, replayed against a real `SyncService` over a real store.
@Suite struct SyncVectorTests {
    /// Vectors that must exist: a vector lost from the folder fails here rather than silently not running.
    static let required = [
        "changed-record-moves-to-end", "delete-vs-edit", "erasure-without-a-write", "forged-dots-rejected", "paging-limit-1", "pull-after-changes",
        "pull-parameters", "relay-of-overwritten-value", "replayed-push", "stale-push", "two-devices-conflict",
    ]

    static let names: [String] = {
        let listed = (try? SyncVector.folder()).flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0.path) } ?? []
        return Set(listed.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(".json".count)) }).union(required).sorted()
    }()

    @Test func theFolderHoldsTheRequiredVectors() throws {
        let folder = try SyncVector.folder()
        let present = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        let missing = Self.required.filter { !present.contains($0 + ".json") }
        #expect(missing.isEmpty, "missing from \(folder.path): \(missing)")
    }

    @Test(arguments: SyncVectorTests.names)
    func replayAgainstTheService(_ name: String) throws {
        let vector = try SyncVector.load(name)
        let folder = TemporaryFolder()
        let store = try folder.store("server", agent: "server")
        defer { try? store.close() }
        let service = SyncService(store: store, tenant: "vectors")
        var previousCursor: String?
        for (index, step) in vector.steps.enumerated() {
            let place = "\(name), step \(index + 1)"
            let expect = step.expect
            let before = try store.lastChangeSeq()
            switch (step.push, step.pull) {
            case (let push?, nil):
                let request = PushRequest(replica: push.device, records: push.records)
                switch Result(catching: { () throws(SyncError) in try service.push(request) }) {
                case .success(let answer):
                    #expect(expect.error == nil, "\(place): the push was accepted, expected \(expect.error ?? "")")
                    if let received = expect.received { #expect(answer.received == received, "\(place): received") }
                    if let changed = expect.changed { #expect(answer.changed == changed, "\(place): changed") }
                    if let conflicted = expect.conflicted { #expect(answer.conflicted == conflicted, "\(place): conflicted") }
                    if answer.changed == 0 { #expect(try store.lastChangeSeq() == before, "\(place): a push that changed nothing moved the store") }
                case .failure(let error):
                    #expect(error.code.rawValue == expect.error, "\(place): \(error.message)")
                    #expect(try store.lastChangeSeq() == before, "\(place): a refused push changed the store")
                }
            case (nil, let pull?):
                var cursor = pull.cursor?.replacingOccurrences(of: "<server>", with: store.replicaID.rawValue)
                if cursor == SyncVector.fromPrevious {
                    cursor = try #require(previousCursor, "\(place): no previous pull to continue from")
                }
                switch Result(catching: { [cursor] () throws(SyncError) in try service.pull(cursor: cursor, limit: pull.limit) }) {
                case .success(let page):
                    #expect(expect.error == nil, "\(place): the pull succeeded, expected \(expect.error ?? "")")
                    if let records = expect.records { #expect(page.records.count == records, "\(place): records") }
                    if let more = expect.more { #expect(page.more == more, "\(place): more") }
                    if let ids = expect.ids { #expect(page.records.map(\.id) == ids, "\(place): ids") }
                    let given = try? PullCursor(page.cursor, expectedReplica: store.replicaID)
                    #expect(given != nil, "\(place): the cursor given out, \(page.cursor), is not this store's")
                    previousCursor = page.cursor
                case .failure(let error):
                    #expect(error.code.rawValue == expect.error, "\(place): \(error.message)")
                }
                #expect(try store.lastChangeSeq() == before, "\(place): a pull changed the store")
            default:
                Issue.record("\(place): a step is either a push or a pull")
            }
        }
        let expected = Dictionary(uniqueKeysWithValues: vector.final.map { ($0.id, $0) })
        #expect(try store.allStates() == expected, "\(name): the server's final states")
        let everything = try service.pull(cursor: nil, limit: SyncService.limits.maxPullRecords)
        #expect(Dictionary(uniqueKeysWithValues: everything.records.map { ($0.id, $0) }) == expected, "\(name): a fresh pull")
    }

    @Test(arguments: SyncVectorTests.names)
    func finalStatesAreWellFormed(_ name: String) throws {
        let vector = try SyncVector.load(name)
        #expect(!vector.steps.isEmpty)
        for state in vector.final { #expect(state.isWellFormed, "\(name): \(state.id)") }
    }
}

/// A sequence of pushes and pulls against one server store, and the states the store holds afterwards.
struct SyncVector: Decodable {
    struct Step: Decodable {
        let push: Push?
        let pull: Pull?
        let expect: Expectation
    }

    struct Push: Decodable {
        let device: ReplicaID
        let records: [RecordState]
    }

    struct Pull: Decodable {
        /// Null for none, `from-previous` for the cursor of the last successful pull, or a literal cursor in which
        /// `<server>` stands for the server store's replica id.
        let cursor: String?
        let limit: Int
    }

    /// For a push: the answer's counts; for a pull: the page; for either: the error code instead.
    struct Expectation: Decodable {
        let received: Int?
        let changed: Int?
        let conflicted: Int?
        let records: Int?
        let more: Bool?
        let ids: [RecordID]?
        let error: String?
    }

    static let fromPrevious = "from-previous"

    let description: String
    let steps: [Step]
    let final: [RecordState]

    static func folder() throws -> URL {
        let folder = try Repository.root().appendingPathComponent("Sync/vectors/sync")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw FileMissing(path: folder.path)
        }
        return folder
    }

    static func load(_ name: String) throws -> SyncVector {
        let file = try folder().appendingPathComponent(name + ".json")
        guard let data = FileManager.default.contents(atPath: file.path) else { throw FileMissing(path: file.path) }
        return try JSONDecoder().decode(SyncVector.self, from: data)
    }
}
