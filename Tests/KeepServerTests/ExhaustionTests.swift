import AsyncHTTPClient
import Foundation
import KeepCore
import KeepProtocol
import KeepTestSupport
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One client must not exhaust a real `keep-server` process for everyone (Sync/TESTING.md §5). Each load is
/// bounded in count and time; the deadlines guard against starvation, never against a slow machine.
@Suite("Exhaustion: one client against a real server process", .serialized)
struct ExhaustionTests {
    /// The median of some durations, in seconds.
    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    /// The resident memory of a process, in bytes, from /proc.
    private static func residentBytes(of pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1_024
    }

    /// A TCP connection to 127.0.0.1:`port`, begun without waiting for it: a client that never says anything.
    private static func connectWithoutWaiting(to port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestFailure("socket: \(errno)") }
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

    @Test("2,000 idle connections and a 1,000-connection slowloris against a server with 1,024 files: /healthz and a shop's sync are answered")
    func idleConnectionsAndASlowlorisDoNotShutOthersOut() async throws {
        let process = try ServerProcess(fileLimit: 1_024)
        let token = try await process.enroll(tenant: "quiet", device: "counter")
        var sockets: [Int32] = []
        defer {
            for socket in sockets { _ = close(socket) }
        }
        for index in 0..<3_000 {
            let socket = try Self.connectWithoutWaiting(to: process.port)
            sockets.append(socket)
            // The last thousand begin a TLS handshake and stop there, as a slowloris does.
            if index >= 2_000 {
                try await Task.sleep(for: .milliseconds(1))
                _ = Glibc.send(socket, [0x16, 0x03, 0x01], 3, Int32(MSG_NOSIGNAL))
            }
        }
        try await Task.sleep(for: .seconds(1))
        try await TestServer.attached(to: process) { server async throws in
            let started = Date()
            #expect(try await server.send(.GET, "/healthz", versions: nil).status == 200)
            #expect(try await server.hello(token: token).tenant == "quiet")
            var laptop = Laptop()
            #expect(try await server.push(laptop.push([laptop.newCustomer("Ona Jonaitienė")]), token: token).status == 200)
            print(
                "ExhaustionTests: with 3,000 silent and slow connections open, /healthz, hello and a push took \(Int(Date().timeIntervalSince(started) * 1_000)) ms"
            )
        }
    }

    @Test("concurrent pushes cannot pass the store-size limit together: it is checked where the write happens")
    func theSizeLimitHoldsUnderConcurrentPushes() async throws {
        let process = try ServerProcess()
        // Eight laptops push about 1.5 MiB each at once, each push alone enough to reach the 1 MiB limit.
        var tokens: [String] = []
        for index in 0..<8 { tokens.append(try await process.enroll(tenant: "kafeneio", device: "laptop \(index)")) }
        let limited = try await process.admin("tenant", "limits", "kafeneio", "--max-store-mb", "1")
        #expect(limited.status == 0, "\(limited.stderr)")
        let note = String(repeating: "Η εξυπηρέτηση πελατών είναι η υποστήριξη. ", count: 1_500)
        let pushes = tokens.enumerated().map { round, token in
            var laptop = Laptop()
            return (token, laptop.push((0..<12).map { index in laptop.newCustomer("Customer \(round)-\(index): \(note)") }))
        }
        try await TestServer.attached(to: process) { server in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for (token, push) in pushes { group.addTask { try await server.push(push, token: token).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == 413 }.count == 7, "\(statuses)")
        }
    }

    @Test("64 bodies held by one device: the server's memory stays under 200 MiB more, and other shops are served")
    func heldBodiesAreBounded() async throws {
        let process = try ServerProcess()
        let holder = try await process.enroll(tenant: "holder", device: "counter")
        let other = try await process.enroll(tenant: "other", device: "counter")
        let pid = process.process.processIdentifier
        try await TestServer.attached(to: process) { server in
            #expect(try await server.hello(token: holder).tenant == "holder")
            let before = try Self.residentBytes(of: pid)
            let refused = Shared(0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<64 {
                    group.addTask {
                        // 15 of the 16 MiB the headers promise, then nothing until the test ends.
                        let (chunks, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
                        for _ in 0..<15 { continuation.yield(ByteBuffer(repeating: UInt8(ascii: " "), count: 1 << 20)) }
                        var request = HTTPClientRequest(url: server.url + "/v1/push")
                        request.method = .POST
                        request.headers.add(name: "Authorization", value: "Bearer \(holder)")
                        request.headers.add(name: ProtocolVersion.protocolHeader, value: String(ProtocolVersion.current))
                        request.headers.add(name: ProtocolVersion.schemaHeader, value: String(ProtocolVersion.schema))
                        request.body = .stream(chunks, length: .known(Int64(16 << 20)))
                        let response = try? await server.client.execute(request, timeout: .seconds(90))
                        if let response, response.status.code >= 400 { refused.withLock { $0 += 1 } }
                        withExtendedLifetime(continuation) {}
                    }
                }
                // Against a hang only: the refusals come at once, the two admitted bodies within seconds.
                let started = Date()
                while refused.withLock({ $0 }) < 62, Date().timeIntervalSince(started) < 60 {
                    try await Task.sleep(for: .milliseconds(200))
                }
                try await Task.sleep(for: .seconds(2))
                let held = try Self.residentBytes(of: pid) - before
                print("ExhaustionTests: 64 held bodies of one device: the server's memory grew \(held >> 20) MiB, \(refused.withLock { $0 }) refused")
                #expect(held < 200 << 20, "64 held bodies took \(held >> 20) MiB")
                #expect(try await server.send(.GET, "/healthz", versions: nil).status == 200)
                #expect(try await server.hello(token: other).tenant == "other")
                group.cancelAll()
            }
        }
    }

    @Test("a shop floods with 24 concurrent 4 MB pushes from 4 laptops: each laptop is held to 2, and another shop's hello is not starved")
    func aFloodingShopDoesNotStarveAnother() async throws {
        let process = try ServerProcess()
        var flooders: [String] = []
        for index in 0..<4 { flooders.append(try await process.enroll(tenant: "flooder", device: "laptop \(index)")) }
        let quiet = try await process.enroll(tenant: "quiet", device: "counter")
        // One push of 1,000 records of 4 KB per laptop, sent six times at once: 24 in flight.
        let note = String(repeating: "Η εξυπηρέτηση πελατών είναι η υποστήριξη. ", count: 50)
        let bodies = try flooders.map { _ in
            var laptop = Laptop()
            let push = laptop.push((0..<1_000).map { laptop.newCustomer("Customer \($0): \(note)") })
            return ByteBuffer(bytes: try JSONEncoder().encode(push))
        }
        let pushes = Array(repeating: Array(zip(flooders, bodies)), count: 6).flatMap { $0 }
        try await TestServer.attached(to: process) { server in try await Self.flood(server, with: pushes, quiet: quiet) }
    }

    private static func flood(_ server: TestServer, with pushes: [(token: String, body: ByteBuffer)], quiet: String) async throws {
        @Sendable func hello() async throws -> Double {
            let started = Date()
            let answer = try await server.send(.GET, "/v1/hello", token: quiet)
            #expect(answer.status == 200, "\(answer.text)")
            return Date().timeIntervalSince(started)
        }
        var unloaded: [Double] = []
        for _ in 0..<10 { unloaded.append(try await hello()) }

        // The flood has connections of its own, as 12 laptops would, beside the quiet shop's.
        let floodClient = HTTPClient.unverified(connections: 32)
        let flooding = TestServer(dataRoot: server.dataRoot, address: server.address, client: floodClient)
        let outcome = await Result {
            try await measure(flooding, pushes: pushes, hello: hello)
        }
        try await floodClient.shutdown()
        let (pushTimes, helloTimes, refused) = try outcome.get()
        let figures =
            "quiet shop's hello: \(Int(median(unloaded) * 1_000)) ms unloaded, \(Int(median(helloTimes) * 1_000)) ms while flooded; flooding push median \(Int(median(pushTimes) * 1_000)) ms, \(refused) of \(pushes.count) refused"
        print("ExhaustionTests: \(figures)")
        #expect(helloTimes.count == 10)
        // Four in flight per device, two of them with bodies: of each laptop's six, four are refused while the first
        // two are merged (16 in all; fewer only where a push is answered before its laptop's last one arrives).
        #expect(refused >= 8, "\(figures)")
        // The quiet shop waits for a thread, not behind the flood: a small fraction of what a flooding push waits.
        #expect(median(helloTimes) < median(pushTimes) / 3, "\(figures)")
    }

    /// Sends every push at once and, a second in, ten hellos one after another: how long each accepted push and each
    /// hello took, and how many pushes were refused.
    private static func measure(
        _ server: TestServer,
        pushes: [(token: String, body: ByteBuffer)],
        hello: @escaping @Sendable () async throws -> Double
    ) async throws -> (pushes: [Double], hellos: [Double], refused: Int) {
        try await withThrowingTaskGroup(of: (push: Double?, hello: [Double]).self) { group in
            for (token, body) in pushes {
                group.addTask {
                    let started = Date()
                    let answer = try await server.send(.POST, "/v1/push", token: token, body: body)
                    #expect([200, 429].contains(answer.status), "\(answer.status) \(answer.text.prefix(200))")
                    return (answer.status == 200 ? Date().timeIntervalSince(started) : nil, answer.status == 429 ? [-1] : [])
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(1))
                var times: [Double] = []
                for _ in 0..<10 { times.append(try await hello()) }
                return (nil, times)
            }
            var pushTimes: [Double] = []
            var helloTimes: [Double] = []
            var refused = 0
            for try await result in group {
                if let push = result.push { pushTimes.append(push) }
                if result.hello == [-1] { refused += 1 } else { helloTimes += result.hello }
            }
            return (pushTimes, helloTimes, refused)
        }
    }
}
