import AsyncHTTPClient
import Foundation
import KeepCore
import KeepProtocol
import KeepSyncClient
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Connections that never say anything, or start a TLS handshake and stop: what 2,000 idle clients and a slowloris
/// leave on a server. Closed all at once by `close()`.
final class SilentConnections {
    private(set) var sockets: [Int32] = []

    /// Opens `idle` connections that send nothing and `slow` that send the first 3 bytes of a TLS record and stop.
    init(port: Int, idle: Int, slow: Int) throws {
        for index in 0..<(idle + slow) {
            let socket = try Self.connectWithoutWaiting(to: port)
            sockets.append(socket)
            if index >= idle {
                usleep(1_000)
                _ = Glibc.send(socket, [0x16, 0x03, 0x01], 3, Int32(MSG_NOSIGNAL))
            }
        }
    }

    func close() {
        for socket in sockets { _ = Glibc.close(socket) }
        sockets = []
    }

    deinit { close() }

    /// A TCP connection to 127.0.0.1:`port`, begun without waiting for it.
    private static func connectWithoutWaiting(to port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw BenchFailure("socket: \(String(cString: strerror(errno))) (raise ulimit -n)") }
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return socket
    }
}

/// An HTTPS client for an attack, with its own connections (as many laptops would have), trusting any certificate.
enum AttackClient {
    static func make(connections: Int) -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.timeout = .init(connect: .seconds(30), read: .seconds(180))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// A push to the server at `url` as `keep` makes it, without its body.
    static func push(to url: String, token: String) -> HTTPClientRequest {
        var request = ProtocolRequest.make(.POST, url: url + "/v1/push", token: token, body: nil)
        request.headers.add(name: "Content-Type", value: "application/json")
        return request
    }
}

/// Push bodies that one device starts and never finishes: the headers promise `declared` bytes, `sent` of them come
/// at once, then nothing until `stop()`. How many the server refused at once is counted.
final class HeldBodies: Sendable {
    private let client: HTTPClient
    private let tasks: Mutex<[Task<Void, Never>]> = Mutex([])
    private let refusals = Mutex(0)

    init(count: Int, url: String, token: String, declared: Int, sent: Int) {
        client = AttackClient.make(connections: count)
        let chunk = 1 << 20
        let started = (0..<count).map { _ in
            Task { [self] in
                let (chunks, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
                for offset in stride(from: 0, to: sent, by: chunk) {
                    continuation.yield(ByteBuffer(repeating: UInt8(ascii: " "), count: min(chunk, sent - offset)))
                }
                var request = AttackClient.push(to: url, token: token)
                request.body = .stream(chunks, length: .known(Int64(declared)))
                let response = try? await client.execute(request, timeout: .seconds(180))
                if let response, response.status.code >= 400 { self.refusals.withLock { $0 += 1 } }
                withExtendedLifetime(continuation) {}
            }
        }
        tasks.withLock { $0 = started }
    }

    var refused: Int { refusals.withLock { $0 } }

    /// Waits until `expected` bodies were refused, or `seconds` passed.
    func waitForRefusals(_ expected: Int, seconds: Double) async {
        let deadline = Clock.now() + seconds
        while refused < expected && Clock.now() < deadline { try? await Task.sleep(for: .milliseconds(100)) }
    }

    /// Drops every held body and the connections carrying them.
    func stop() async {
        let running = tasks.withLock { $0 }
        for task in running { task.cancel() }
        for task in running { await task.value }
        try? await client.shutdown()
    }
}

/// One shop's laptops pushing big pages as fast as the server takes them, `inFlight` at a time, until stopped or
/// `maxPushes` were sent: how many were merged (200) and refused (429, 413, 503), and how long the merged ones took.
final class Flood: Sendable {
    struct Outcome: Sendable {
        var merged: [Double] = []
        var refused = 0
        var failed = 0
        var firstFailure: String?
    }

    private let client: HTTPClient
    private let outcome = Mutex(Outcome())
    private let stopping = Mutex(false)
    private let sent = Mutex(0)
    private let workers: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(url: String, bodies: [(token: String, body: ByteBuffer)], inFlight: Int, maxPushes: Int) {
        client = AttackClient.make(connections: inFlight)
        let started = Task { [self] in
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<inFlight {
                    group.addTask {
                        var next = worker
                        while !self.stopping.withLock({ $0 }) {
                            let claimed = self.sent.withLock { count -> Bool in
                                guard count < maxPushes else { return false }
                                count += 1
                                return true
                            }
                            guard claimed else { return }
                            let (token, body) = bodies[next % bodies.count]
                            next += inFlight
                            var request = AttackClient.push(to: url, token: token)
                            request.body = .bytes(body)
                            let began = Clock.now()
                            do {
                                let response = try await self.client.execute(request, timeout: .seconds(180))
                                _ = try await response.body.collect(upTo: 1 << 20)
                                let took = (Clock.now() - began) * 1_000
                                self.outcome.withLock { outcome in
                                    if response.status == .ok {
                                        outcome.merged.append(took)
                                    } else {
                                        outcome.refused += 1
                                    }
                                }
                            } catch {
                                self.outcome.withLock { outcome in
                                    outcome.failed += 1
                                    if outcome.firstFailure == nil { outcome.firstFailure = "\(error)" }
                                }
                                try? await Task.sleep(for: .milliseconds(50))
                            }
                        }
                    }
                }
            }
        }
        workers.withLock { $0 = started }
    }

    /// Stops sending, lets the pushes in flight finish, and says what the flood did.
    func stop() async -> Outcome {
        stopping.withLock { $0 = true }
        await workers.withLock { $0 }?.value
        try? await client.shutdown()
        return outcome.withLock { $0 }
    }

    /// Push bodies of `records` new customers with `bytesEach` of text, `perDevice` distinct ones for each token.
    static func bodies(tokens: [String], perDevice: Int, records: Int, bytesEach: Int) throws -> [(token: String, body: ByteBuffer)] {
        let text = String(repeating: "Η εξυπηρέτηση πελατών είναι η υποστήριξη. ", count: max(1, bytesEach / 80))
        var bodies: [(token: String, body: ByteBuffer)] = []
        for token in tokens {
            let replica = ReplicaID.random()
            var counter: UInt64 = 0
            for _ in 0..<perDevice {
                let states = (0..<records).map { index in
                    counter += 1
                    var state = RecordState(id: RecordID.random(), kind: .customer)
                    state.write(
                        Customer.creation(name: "Πελάτης \(counter): \(text)", phone: nil, email: nil, at: Date(), by: "flood"),
                        dot: Dot(replica: replica, counter: counter),
                        at: Date().epochMilliseconds,
                        by: "flood"
                    )
                    return state
                }
                bodies.append((token, ByteBuffer(bytes: try JSONEncoder().encode(PushRequest(replica: replica, records: states)))))
            }
        }
        return bodies
    }
}
