import Foundation
import KeepCore
import KeepProtocol
import KeepTenancy
import NIOHTTP1
import Synchronization

/// One benchmark device: its token, the replica it writes as, and where its pulls continue.
struct BenchDevice: Sendable {
    let tenant: TenantSlug
    let token: String
    let replica: ReplicaID
    var cursor: String?
    var counter: UInt64 = 0
    var syncs = 0
}

/// Shops with one device each, made in-process through `Administration` as `keep-server tenant create` and
/// `device add` make them, several at a time (most of the time is the stores' durable commits).
enum BenchShops {
    static func create(count: Int, in dataRoot: DataRoot, prefix: String = "shop", workers: Int = 4) throws -> [BenchDevice] {
        let administration = Administration(dataRoot: dataRoot)
        // The catalog first, so that the workers do not race to create it.
        try dataRoot.openCatalog().close()
        let made = Mutex<(devices: [BenchDevice?], next: Int, failure: String?)>((Array(repeating: nil, count: count), 0, nil))
        let group = DispatchGroup()
        for _ in 0..<max(1, workers) {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                while true {
                    let index = made.withLock { state -> Int? in
                        guard state.failure == nil, state.next < count else { return nil }
                        state.next += 1
                        return state.next - 1
                    }
                    guard let index else { return }
                    do {
                        guard let slug = TenantSlug(String(format: "\(prefix)-%05d", index)) else { throw BenchFailure("bad slug") }
                        _ = try administration.createTenant(slug)
                        let device = try administration.addDevice(named: "till", to: slug)
                        let bench = BenchDevice(tenant: slug, token: device.token.text, replica: ReplicaID.random())
                        made.withLock { $0.devices[index] = bench }
                    } catch {
                        made.withLock { $0.failure = "\(error)" }
                    }
                }
            }
        }
        group.wait()
        let (devices, _, failure) = made.withLock { $0 }
        if let failure { throw BenchFailure("creating the benchmark's shops: \(failure)") }
        return devices.compactMap { $0 }
    }

    /// One shop in a new data root under `folder`, whose devices may make as many requests as the benchmark does.
    static func one(_ slug: String, name: String, in folder: String) throws -> (dataRoot: DataRoot, slug: TenantSlug, administration: Administration)
    {
        let dataRoot = DataRoot(folder + "/data")
        guard let slug = TenantSlug(slug) else { throw BenchFailure("bad slug \(slug)") }
        let administration = Administration(dataRoot: dataRoot)
        _ = try administration.createTenant(slug, name: name)
        try administration.setLimits(of: slug, requestsPerMinute: 1_000_000)
        return (dataRoot, slug, administration)
    }
}

/// What a load run saw.
struct LoadOutcome: Sendable {
    var latencies: [Double] = []
    var failures = 0
    var firstFailure: String?
    var seconds = 0.0

    var count: Int { latencies.count }
    var perSecond: Double { Double(latencies.count) / seconds }

    mutating func absorb(_ other: LoadOutcome) {
        latencies += other.latencies
        failures += other.failures
        if firstFailure == nil { firstFailure = other.firstFailure }
    }

    /// Times one request (or sync): its latency in milliseconds when it succeeds, else a failure, the first one
    /// kept for the report.
    mutating func time(_ request: () async throws -> Void) async {
        let began = Clock.now()
        do {
            try await request()
            latencies.append((Clock.now() - began) * 1000)
        } catch {
            failures += 1
            if firstFailure == nil { firstFailure = "\(error)" }
        }
    }
}

/// A closed-loop load: `concurrency` workers, each with its own share of the devices, one request (or sync) after
/// another, until the time or the count runs out.
enum LoadGenerator {
    /// Small syncs: hello, a push of one or two new records, a pull from the device's cursor. Every device syncs
    /// at most `perDevice` times when given (then the worker stops).
    static func syncs(
        client: SyncClient,
        devices: [BenchDevice],
        concurrency: Int,
        seconds: Double,
        maxSyncs: Int,
        perDevice: Int? = nil
    ) async -> LoadOutcome {
        let workers = max(1, min(concurrency, devices.count))
        let perWorker = max(1, maxSyncs / workers)
        return await closedLoop(workers: workers, seconds: seconds) { worker, deadline in
            var mine = stride(from: worker, to: devices.count, by: workers).map { devices[$0] }
            var outcome = LoadOutcome()
            var next = 0
            var done = 0
            while Clock.now() < deadline && done < perWorker {
                if let perDevice, mine[next].syncs >= perDevice { break }
                await outcome.time { try await sync(&mine[next], client: client) }
                mine[next].syncs += 1
                done += 1
                next = (next + 1) % mine.count
            }
            return outcome
        }
    }

    /// One small sync of `device`, as `keep sync` makes it after a change or two.
    static func sync(_ device: inout BenchDevice, client: SyncClient) async throws {
        let hello = try await client.send(.GET, "/v1/hello", token: device.token)
        guard hello.status == 200 else { throw BenchFailure("hello answered \(hello.status): \(String(decoding: try hello.body(), as: UTF8.self))") }
        var records: [RecordState] = []
        for _ in 0..<(1 + device.syncs % 2) {
            device.counter += 1
            var state = RecordState(id: RecordID.random(), kind: .customer)
            state.write(
                Customer.creation(name: "Πελάτης \(device.counter)", phone: "+30 210 \(device.counter)", email: nil, at: Date(), by: "till"),
                dot: Dot(replica: device.replica, counter: device.counter),
                at: Date().epochMilliseconds,
                by: "till"
            )
            records.append(state)
        }
        let body = try JSONEncoder().encode(PushRequest(replica: device.replica, records: records))
        let push = try await client.send(.POST, "/v1/push", token: device.token, body: body)
        guard push.status == 200 else { throw BenchFailure("push answered \(push.status): \(String(decoding: try push.body(), as: UTF8.self))") }
        let pull = try await client.send(.GET, SyncClient.pullPath(cursor: device.cursor), token: device.token)
        guard pull.status == 200 else { throw BenchFailure("pull answered \(pull.status): \(String(decoding: try pull.body(), as: UTF8.self))") }
        device.cursor = try JSONDecoder().decode(PullPosition.self, from: try pull.body()).cursor
    }

    /// `GET /healthz` as fast as the workers go: the server's HTTP and TLS path without a shop's store.
    static func health(client: SyncClient, concurrency: Int, seconds: Double, maxRequests: Int) async -> LoadOutcome {
        let perWorker = max(1, maxRequests / concurrency)
        return await closedLoop(workers: concurrency, seconds: seconds) { _, deadline in
            var outcome = LoadOutcome()
            var done = 0
            while Clock.now() < deadline && done < perWorker {
                await outcome.time {
                    let answer = try await client.send(.GET, "/healthz", token: nil)
                    guard answer.status == 200 else { throw BenchFailure("healthz answered \(answer.status)") }
                }
                done += 1
            }
            return outcome
        }
    }

    /// Runs `workers` loops at once, each until `deadline` (a `Clock.now()` value), and adds up what they saw.
    private static func closedLoop(
        workers: Int,
        seconds: Double,
        _ worker: @escaping @Sendable (_ index: Int, _ deadline: Double) async -> LoadOutcome
    ) async -> LoadOutcome {
        let start = Clock.now()
        let deadline = start + seconds
        var outcome = await withTaskGroup(of: LoadOutcome.self) { group in
            for index in 0..<workers {
                group.addTask { await worker(index, deadline) }
            }
            var total = LoadOutcome()
            for await part in group { total.absorb(part) }
            return total
        }
        outcome.seconds = Clock.now() - start
        return outcome
    }

    /// A gauge from the server's /metrics, e.g. `keep_open_tenant_stores`.
    static func gauge(_ name: String, client: SyncClient) async -> Double? {
        guard let answer = try? await client.send(.GET, "/metrics", token: nil), answer.status == 200, let body = try? answer.body() else {
            return nil
        }
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.split(separator: " ").last ?? "")
        }
        return nil
    }
}
