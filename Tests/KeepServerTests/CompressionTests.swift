import Foundation
import KeepCore
import KeepProtocol
import KeepServer
import NIOCore
import NIOHTTP1
import Testing

@Suite("Compressed bodies")
struct CompressionTests {
    @Test("a gzip push is merged, and a pull asked with Accept-Encoding: gzip comes back compressed and whole")
    func gzipBothWays() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            var laptop = Laptop()
            let records = (0..<40).map { laptop.newCustomer("Σπύρος Καλογεράκης \($0)") }
            let json = try JSONEncoder().encode(laptop.push(records))
            let pushed = try await server.send(
                .POST,
                "/v1/push",
                token: token,
                body: ByteBuffer(bytes: Gzip.compress(json)),
                headers: [("Content-Encoding", "gzip")]
            )
            #expect(try pushed.decode(PushResponse.self) == PushResponse(received: 40, changed: 40, conflicted: 0))

            let pulled = try await server.send(.GET, "/v1/pull", token: token, headers: [("Accept-Encoding", "gzip")])
            #expect(pulled.status == 200)
            #expect(pulled.headers.first(name: "Content-Encoding") == "gzip")
            let plain = try Gzip.decompress(pulled.body, limit: 1 << 24)
            #expect(plain.count > pulled.body.count, "compressed \(pulled.body.count) bytes, plain \(plain.count)")
            let page = try JSONDecoder().decode(PullResponse.self, from: plain)
            #expect(Set(page.records.map(\.id)) == Set(records.map(\.id)))

            let uncompressed = try await server.send(.GET, "/v1/pull", token: token)
            #expect(uncompressed.headers.first(name: "Content-Encoding") == nil)
            #expect(try uncompressed.decode(PullResponse.self).records.count == 40)
        }
    }

    @Test("a gzip body that expands past the limit gets 413, broken gzip and unknown encodings 400, and nothing is kept")
    func badCompressedBodies() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            // 17 MiB of spaces inside a valid push compresses to a few kilobytes.
            var laptop = Laptop()
            let prefix = try JSONEncoder().encode(laptop.push([laptop.newCustomer("Ona Petrauskienė")]))
            let bomb = prefix.dropLast() + Data(repeating: UInt8(ascii: " "), count: 17 << 20) + Data("}".utf8)
            let compressed = Gzip.compress(bomb)
            #expect(compressed.count < 100_000)
            #expect(throws: SyncError.self) { try Gzip.decompress(compressed, limit: 16 << 20) }
            #expect(try Gzip.decompress(compressed, limit: 18 << 20) == bomb)
            let tooLarge = try await server.send(
                .POST,
                "/v1/push",
                token: token,
                body: ByteBuffer(bytes: compressed),
                headers: [("Content-Encoding", "gzip")]
            )
            #expect(tooLarge.status == 413)
            #expect(try tooLarge.error().error == "too_large")

            let broken = try await server.send(
                .POST,
                "/v1/push",
                token: token,
                body: ByteBuffer(bytes: prefix),
                headers: [("Content-Encoding", "gzip")]
            )
            #expect(broken.status == 400)
            #expect(try broken.error().message.contains("gzip"))

            let brotli = try await server.send(
                .POST,
                "/v1/push",
                token: token,
                body: ByteBuffer(bytes: prefix),
                headers: [("Content-Encoding", "br")]
            )
            #expect(brotli.status == 400)
            #expect(try brotli.error().message.contains("br"))

            #expect(try await server.pullAll(token: token).isEmpty)
        }
    }

    @Test("Accept-Encoding is read as HTTP says: q=0 refuses, a wildcard accepts")
    func acceptEncoding() {
        #expect(Gzip.isAccepted(by: "gzip"))
        #expect(Gzip.isAccepted(by: "br, gzip;q=0.5"))
        #expect(Gzip.isAccepted(by: "*"))
        #expect(!Gzip.isAccepted(by: "gzip;q=0"))
        #expect(!Gzip.isAccepted(by: "identity"))
        #expect(!Gzip.isAccepted(by: nil))
    }
}
