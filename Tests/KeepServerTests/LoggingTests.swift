import Foundation
import KeepServer
import NIOHTTP1
import Testing

@Suite("Request log")
struct LoggingTests {
    @Test("every request is logged with its id, method, path, status, duration and shop, and never with the token")
    func requestLog() async throws {
        let capture = LogCapture()
        let token = try await TestServer.run(logger: capture.logger()) { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            _ = try await server.hello(token: token)
            _ = try await server.send(.GET, "/v1/pull?cursor=\(token)", token: token)
            _ = try await server.send(.GET, "/v1/hello", token: token + "x")
            _ = try await server.send(.GET, "/healthz")
            return token
        }
        let requests = capture.all.filter { $0.hasPrefix("info request ") || $0.hasPrefix("notice request refused ") }
        #expect(requests.count == 4)
        let hello = try #require(requests.first)
        for field in ["hb.request.id=", "method=GET", "path=/v1/hello", "status=200", "duration_ms=", "tenant=corner-shop"] {
            #expect(hello.contains(field), "\(field) in \(hello)")
        }
        #expect(requests[2].hasPrefix("notice request refused") && requests[2].contains("status=401"), "\(requests[2])")
        #expect(requests[2].contains("refused=a malformed token"), "the reason, never the token: \(requests[2])")
        #expect(!requests[2].contains("tenant="))
        let secret = String(token.suffix(43))
        #expect(!capture.text.contains(secret))
        #expect(!capture.text.contains(String(secret.prefix(12))))
    }
}
