import AsyncHTTPClient
import Foundation
import KeepCore
import KeepProtocol
import KeepStore
import KeepTenancy
import KeepTestSupport
import NIOCore
import NIOHTTP1
import Testing

@testable import KeepServer

/// What one operator's ordinary command or one client could once do to other shops, against the real server over
/// TLS (Sync/TESTING.md, "Hostile clients and operators' mistakes"). Each test reproduces what was seen.
@Suite("Hardening: operators' mistakes and hostile clients")
struct HardeningTests {
    @Test("a slug deleted and created again while the server runs is another shop: its laptop never sees the old store")
    func aSlugCreatedAgainIsAnotherShop() async throws {
        try await TestServer.run { server in
            let slug = TenantSlug("kafeneio")!
            let old = try server.createTenant("kafeneio")
            let oldToken = try server.addDevice("counter", to: "kafeneio")
            var oldLaptop = Laptop()
            #expect(try await server.push(oldLaptop.push([oldLaptop.newCustomer("Μαρία of the old shop")]), token: oldToken).status == 200)
            #expect(try await server.hello(token: oldToken).shop == old.shop)

            try server.admin.delete(slug, force: true)
            let new = try server.createTenant("kafeneio")
            let token = try server.addDevice("counter", to: "kafeneio")
            #expect(new.shop != old.shop, "a re-created slug gets a shop id of its own")

            let hello = try await server.hello(token: token)
            #expect(hello.serverReplica == new.serverReplica, "hello names the store the catalog names now")
            #expect(hello.shop == new.shop)
            #expect(try await server.pullAll(token: token).isEmpty, "the new shop's laptop pulled the old shop's customers")

            var laptop = Laptop()
            let customer = laptop.newCustomer("Ελένη of the new shop")
            #expect(try await server.push(laptop.push([customer]), token: token).status == 200)
            #expect(try await server.pullAll(token: token).map(\.id) == [customer.id])
            // Acknowledged means in the file the catalog names, which a restart serves.
            #expect(try ReplicaStoreProbe.records(at: server.dataRoot.storePath(of: slug)).map(\.id) == [customer.id])
            #expect(try await server.send(.GET, "/v1/hello", token: oldToken).status == 401)
        }
    }

    @Test("a shop named tls lives apart from the server's certificate: deleting it leaves the key and certificate")
    func aShopNamedTLSIsNotTheCertificate() async throws {
        try await TestServer.run { server in
            let tls = server.dataRoot.tlsFolder
            let before = try [tls + "/cert.pem", tls + "/key.pem"].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
            try server.createTenant("tls")
            let token = try server.addDevice("counter", to: "tls")
            var laptop = Laptop()
            #expect(try await server.push(laptop.push([laptop.newCustomer("Ona Jonaitienė")]), token: token).status == 200)
            #expect(server.dataRoot.storePath(of: TenantSlug("tls")!).hasPrefix(server.dataRoot.shopsFolder + "/"))
            try server.admin.delete(TenantSlug("tls")!, force: true)
            let after = try [tls + "/cert.pem", tls + "/key.pem"].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
            #expect(after == before, "deleting the shop tls changed the server's certificate")
        }
    }

    @Test("a data root laid out before shops/ is moved into it, the certificate left where it was")
    func anOlderDataRootIsMoved() throws {
        let folder = TemporaryFolder()
        let root = folder.dataRoot
        let admin = Administration(dataRoot: root)
        let shops = try ["tls", "fournos"].map { try admin.createTenant(TenantSlug($0)!) }
        // The layout of earlier releases: <data>/<slug>/store.sqlite, the certificate in <data>/tls/.
        let manager = FileManager.default
        try manager.removeItem(atPath: root.shopsFolder + "/.layout")
        for shop in shops {
            try manager.moveItem(atPath: root.folder(of: shop.slug), toPath: root.path + "/" + shop.slug.rawValue)
        }
        try manager.removeItem(atPath: root.shopsFolder)
        try Data("certificate".utf8).write(to: URL(fileURLWithPath: root.path + "/tls/cert.pem"))

        let listed = try admin.tenants()
        #expect(listed.map(\.tenant.slug.rawValue).sorted() == ["fournos", "tls"])
        for shop in shops {
            #expect(try ReplicaStoreProbe.open(root.storePath(of: shop.slug)).replicaID == shop.serverReplica)
            #expect(listed.first { $0.tenant.slug == shop.slug }?.storeProblem == nil)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: root.path + "/tls/cert.pem")) == Data("certificate".utf8))
        #expect(!manager.fileExists(atPath: root.path + "/fournos"), "the emptied old folder is gone")
    }

    @Test("a damaged store is out of service for its shop only: 503 store_damaged, the other shop syncs, a restore brings it back")
    func aDamagedStoreIsOutOfService() async throws {
        let folder = TemporaryFolder()
        let backups = folder.path + "/backups"
        let (tokens, laptops, backup) = try await TestServer.run(in: folder) { server in
            var tokens: [String: String] = [:]
            var laptops: [String: Laptop] = [:]
            for slug in ["alpha", "beta"] {
                try server.createTenant(slug)
                tokens[slug] = try server.addDevice("counter", to: slug)
                var laptop = Laptop()
                defer { laptops[slug] = laptop }
                let customers = (0..<300).map { laptop.newCustomer("Customer \($0) of \(slug), Αικατερίνη Παπαδοπούλου") }
                #expect(try await server.push(laptop.push(customers), token: tokens[slug]!).status == 200)
            }
            let backup = try server.admin.backup([TenantSlug("alpha")!], to: backups)
            return (tokens, laptops, backup.folder)
        }
        try damage(folder.dataRoot.storePath(of: TenantSlug("alpha")!))

        try await TestServer.run(in: folder) { server in
            var laptop = laptops["alpha"]!
            let push = try await server.push(laptop.push([laptop.newCustomer("Jonas")]), token: tokens["alpha"]!)
            #expect(push.status == 503, "a damaged store acknowledged a push: \(push.text)")
            #expect(try push.error().error == "store_damaged")
            #expect(try await server.pull(token: tokens["alpha"]!).status == 503)
            #expect(try await server.hello(token: tokens["beta"]!).tenant == "beta")
            var betaLaptop = laptops["beta"]!
            #expect(try await server.push(betaLaptop.push([betaLaptop.newCustomer("Petras")]), token: tokens["beta"]!).status == 200)
            let metrics = try await server.send(.GET, "/metrics", versions: nil).text
            #expect(metrics.contains("keep_damaged_tenant_stores 1"), "\(metrics)")
            #expect(!metrics.contains("alpha"), "the metric names no shop")

            try server.admin.restore(TenantSlug("alpha")!, from: backup)
            #expect(try await server.pullAll(token: tokens["alpha"]!).count == 300, "the restored store is served again")
            #expect(try await server.push(laptop.push([laptop.newCustomer("Jonas")]), token: tokens["alpha"]!).status == 200)
        }
    }

    @Test("30 laptops of one shop pushing small gzip bodies at once are all merged: a body counts what it holds, not the limit")
    func smallGzipPushesWaitingTogetherAreNotRefused() async throws {
        try await TestServer.run { server in
            try server.createTenant("kafeneio")
            try server.admin.setLimits(of: TenantSlug("kafeneio")!, maxDevices: 40)
            var pushes: [(token: String, body: ByteBuffer)] = []
            for index in 0..<30 {
                let token = try server.addDevice("laptop \(index)", to: "kafeneio")
                var laptop = Laptop()
                let push = laptop.push((0..<20).map { laptop.newCustomer("Αικατερίνη Παπαδοπούλου \(index)-\($0)") })
                pushes.append((token, ByteBuffer(bytes: Gzip.compress(try JSONEncoder().encode(push)))))
            }
            // They wait on the shop's one lane together, each holding its body.
            let burst = TestServer(dataRoot: server.dataRoot, address: server.address, client: HTTPClient.unverified(connections: 32))
            let outcome = await Result {
                try await withThrowingTaskGroup(of: String.self) { group in
                    for (token, body) in pushes {
                        group.addTask {
                            let answer = try await burst.send(.POST, "/v1/push", token: token, body: body, headers: [("Content-Encoding", "gzip")])
                            return answer.status == 200 ? "200" : "\(answer.status) \(answer.text.prefix(120))"
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            try await burst.client.shutdown()
            let statuses = try outcome.get()
            #expect(statuses.allSatisfy { $0 == "200" }, "\(statuses.filter { $0 != "200" })")
        }
    }

    @Test("device names with invisible characters are refused, joiners inside Persian words are not")
    func invisibleCharactersInNames() throws {
        let folder = TemporaryFolder()
        let admin = Administration(dataRoot: folder.dataRoot)
        try admin.createTenant(TenantSlug("kafeneio")!)
        for name in ["counter\u{202E}pot", "counter\u{200B}", "\u{200C}counter", "lap\u{200C}top", "\u{2066}counter\u{2069}"] {
            #expect(throws: KeepServerError.self, "\(name.unicodeScalars.map { String($0.value, radix: 16) })") {
                try admin.addDevice(named: name, to: TenantSlug("kafeneio")!)
            }
        }
        #expect(try admin.devices(of: TenantSlug("kafeneio")!).isEmpty)
        #expect(try admin.addDevice(named: "لپ‌تاپ رضایی‌نژاد", to: TenantSlug("kafeneio")!).device.name == "لپ‌تاپ رضایی‌نژاد")
    }

    @Test("enrollment tries count per IPv6 /64 as well as per address")
    func enrollmentLimitPerPrefix() throws {
        let one = try SocketAddress(ipAddress: "2001:db8:1:2::1", port: 443)
        let other = try SocketAddress(ipAddress: "2001:db8:1:2:ffff::9", port: 80)
        let elsewhere = try SocketAddress(ipAddress: "2001:db8:1:3::1", port: 443)
        let keys = EnrollmentController.rateLimitKeys(of:)
        #expect(keys(one).count == 2)
        #expect(keys(one).last == keys(other).last, "one /64, one budget")
        #expect(keys(one).last != keys(elsewhere).last)
        #expect(keys(try SocketAddress(ipAddress: "192.0.2.7", port: 1)) == ["192.0.2.7"])
        #expect(keys(try SocketAddress(ipAddress: "::ffff:192.0.2.7", port: 1)).count == 1)
    }

    @Test("a connection that sends nothing is closed after the idle timeout, and the server goes on answering")
    func idleConnectionsAreClosed() async throws {
        try await TestServer.run(idleTimeout: .seconds(2)) { server in
            let idle = Process()
            idle.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            // A TLS handshake, then silence: standard input stays open and empty.
            idle.arguments = ["s_client", "-quiet", "-connect", "127.0.0.1:\(server.address.port)"]
            let silence = Pipe()
            idle.standardInput = silence
            idle.standardOutput = FileHandle.nullDevice
            idle.standardError = FileHandle.nullDevice
            let connection = try ChildProcess(starting: idle)
            defer {
                connection.send(SIGKILL)
                try? silence.fileHandleForWriting.close()
            }
            // Against a hang only: the timeout is 2 s.
            #expect(await connection.ends(within: 60), "the server kept an idle connection open for 60 s")
            #expect(try await server.send(.GET, "/healthz", versions: nil).status == 200)
        }
    }

    @Test("a slowloris that keeps sending header lines is closed after the header timeout, though never idle")
    func aSlowlorisIsClosed() async throws {
        try await TestServer.run(headerTimeout: .seconds(2)) { server in
            let slow = Process()
            slow.executableURL = URL(fileURLWithPath: "/bin/sh")
            // A header line every 0.3 s for as long as the connection lasts, and never the blank line that ends them.
            slow.arguments = [
                "-c",
                "(printf 'GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n'; while printf 'X-Slow: 1\\r\\n'; do sleep 0.3; done) | openssl s_client -quiet -connect 127.0.0.1:\(server.address.port)",
            ]
            slow.standardOutput = FileHandle.nullDevice
            slow.standardError = FileHandle.nullDevice
            let connection = try ChildProcess(starting: slow)
            defer { connection.send(SIGKILL) }
            // Against a hang only: the timeout is 2 s.
            #expect(await connection.ends(within: 60), "the server kept a slowloris for 60 s")
            #expect(try await server.send(.GET, "/healthz", versions: nil).status == 200)
        }
    }

    @Test("a malformed chunk size is the client's mistake: 400 with a JSON error, not 500")
    func malformedChunkSize() async throws {
        try await TestServer.run { server in
            try server.createTenant("kafeneio")
            let token = try server.addDevice("counter", to: "kafeneio")
            let request = [
                "POST /v1/push HTTP/1.1", "Host: 127.0.0.1", "Authorization: Bearer \(token)",
                "\(ProtocolVersion.protocolHeader): \(ProtocolVersion.current)", "\(ProtocolVersion.schemaHeader): \(ProtocolVersion.schema)",
                "Content-Type: application/json", "Transfer-Encoding: chunked", "Connection: close", "", "FFFFFFFFFFFFFFFFF1", "{}",
            ].joined(separator: "\r\n")
            let folder = TemporaryFolder()
            let file = folder.file("request")
            try Data(request.utf8).write(to: URL(fileURLWithPath: file))
            // -quiet keeps the connection open after the request is sent, until the server closes it.
            let answer = try await runProcess(
                URL(fileURLWithPath: "/bin/sh"),
                ["-c", "openssl s_client -quiet -connect 127.0.0.1:\(server.address.port) < '\(file)' 2>/dev/null"],
                environment: ["PATH": "/usr/bin:/bin"]
            )
            #expect(answer.stdout.hasPrefix("HTTP/1.1 400"), "\(answer.stdout)")
            #expect(answer.stdout.contains("\"error\":\"bad_request\""), "\(answer.stdout)")
        }
    }
}

/// Overwrites the middle of a closed store's file, as a failing disk might.
private func damage(_ path: String) throws {
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let range = bytes.count / 4..<bytes.count * 3 / 4
    bytes.replaceSubrange(range, with: Data(repeating: 0x5A, count: range.count))
    try bytes.write(to: URL(fileURLWithPath: path))
}
