import Foundation
import KeepCore
import KeepProtocol
import KeepStore
import KeepTestSupport
import Synchronization
import Testing

extension TemporaryFolder {
    /// A new, empty replica store in this folder.
    func store(_ name: String, agent: String = "test") throws -> ReplicaStore {
        try ReplicaStore.create(at: file(name + ".sqlite"), agent: agent)
    }
}

/// The repository this test file lives in, found by walking up to `Package.swift`.
enum Repository {
    static func root() throws -> URL {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
            folder.deleteLastPathComponent()
        }
        throw FileMissing(path: "Package.swift above \(#filePath)")
    }

    /// The text of a file of the repository; fails loudly if it is missing.
    static func text(_ relativePath: String) throws -> String {
        let file = try root().appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: file.path) else { throw FileMissing(path: file.path) }
        return String(decoding: data, as: UTF8.self)
    }
}

struct FileMissing: Error, CustomStringConvertible {
    let path: String
    var description: String { "missing: \(path)" }
}

extension ReplicaStore {
    /// Every record state this store holds, by id.
    func allStates() throws -> [RecordID: RecordState] {
        let states = try changes(after: 0, limit: 1_000_000).states
        return Dictionary(uniqueKeysWithValues: states.map { ($0.id, $0) })
    }

    /// Adds customers as one local write and returns their ids.
    @discardableResult
    func addCustomers(_ names: [String], now: Date = Date()) throws -> [RecordID] {
        try write(agent: "test", now: now) { writer in
            try names.map { try writer.create(.customer, Customer.creation(name: $0, phone: nil, email: nil, at: now, by: "test")) }
        }
    }

    func update(_ id: RecordID, _ values: [String: FieldValue], now: Date = Date()) throws {
        try write(agent: "test", now: now) { try $0.update(id, kind: .customer, values) }
    }

    func delete(_ id: RecordID, now: Date = Date()) throws {
        try write(agent: "test", now: now) { try $0.delete(id, kind: .customer) }
    }
}

/// The protocol's calls made directly on a `SyncService`, with a directory of one device, which is bound to the
/// replica id of its first push: a push from another replica is refused, as over HTTP.
final class DirectTransport: SyncTransport {
    let service: SyncService
    let device: String
    let directory: InMemoryDeviceDirectory

    init(_ service: SyncService, device: String = "laptop", directory: InMemoryDeviceDirectory? = nil) {
        self.service = service
        self.device = device
        self.directory = directory ?? InMemoryDeviceDirectory(devices: [device])
        self.directory.add(device)
    }

    func hello() async throws -> HelloResponse {
        try service.hello(device: device, deviceReplica: directory.replica(of: device))
    }

    func push(_ request: PushRequest) async throws -> PushResponse {
        try service.push(request, by: device, in: directory)
    }

    func pull(cursor: String?, limit: Int) async throws -> PullResponse {
        try service.pull(cursor: cursor, limit: limit)
    }
}

extension SyncService {
    /// A push by a device of its own, bound to the push's replica: for tests about the merge, not the binding.
    func push(_ request: PushRequest) throws(SyncError) -> PushResponse {
        let device = request.replica.rawValue
        return try push(request, by: device, in: InMemoryDeviceDirectory(devices: [device]))
    }
}

/// The network failing at a chosen moment, around a working transport; it also records what went through.
final class UnreliableTransport: SyncTransport {
    /// What breaks.
    enum Fault: Sendable {
        /// Nothing: a healthy connection.
        case none
        /// The connection drops when asked for a page after this many pages arrived.
        case dropPulls(after: Int)
        /// Every push reaches the server and is made durable there, but its answer never arrives.
        case losePushAnswers
    }

    struct Log: Sendable {
        var pullPages = 0
        var pushAnswers: [PushResponse] = []
    }

    struct ConnectionLost: Error {}

    let base: any SyncTransport
    let fault: Fault
    private let state = Mutex(Log())

    init(_ base: any SyncTransport, fault: Fault = .none) {
        self.base = base
        self.fault = fault
    }

    var log: Log { state.withLock { $0 } }

    func hello() async throws -> HelloResponse { try await base.hello() }

    func push(_ request: PushRequest) async throws -> PushResponse {
        let answer = try await base.push(request)
        if case .losePushAnswers = fault { throw ConnectionLost() }
        state.withLock { $0.pushAnswers.append(answer) }
        return answer
    }

    func pull(cursor: String?, limit: Int) async throws -> PullResponse {
        if case .dropPulls(let after) = fault, state.withLock({ $0.pullPages }) >= after { throw ConnectionLost() }
        let page = try await base.pull(cursor: cursor, limit: limit)
        state.withLock { $0.pullPages += 1 }
        return page
    }
}

/// Runs `body`, expecting it to throw a ``SyncError`` with `code`; returns the error.
@discardableResult
func expectSyncError(
    _ code: SyncError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> SyncError? {
    do {
        try await body()
        Issue.record("expected the error \(code), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as SyncError {
        #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected the error \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
