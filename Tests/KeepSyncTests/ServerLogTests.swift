import Foundation
import KeepTestSupport
import Testing

/// The server's log as an operator reads it with `--log-format json`.
@Suite("The server's log", .serialized)
struct ServerLogTests {
    /// The log's JSON lines.
    static func lines(_ log: String) throws -> [[String: Any]] {
        try log.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON line: \(line)")
        }
    }

    @Test func jsonLinesNameTheDeviceWhatEachSyncMovedAndWhyALoginWasRefused() async throws {
        let server = try ServerProcess(options: ["--log-format", "json"])
        let anna = try await server.laptop("anna", of: "kafeneio", device: "anna-laptop")
        try await anna.must("customer", "add", "Μαρία Παπαδοπούλου")
        try await anna.must("customer", "add", "Ona Jonaitienė")
        try await anna.must("sync")
        let stranger = try await Laptop(name: "stranger", folder: server.laptops)
        let revoked = try await server.enroll(tenant: "kafeneio", device: "old laptop")
        #expect(try await server.admin("device", "revoke", "kafeneio", "old laptop").status == 0)
        _ = try await stranger.keep("login", server.url, "--token", revoked, "--pin", server.fingerprint)
        server.stop()

        let lines = try Self.lines(server.log)
        let started = try #require(lines.first { $0["message"] as? String == "keep-server started" }, "\(server.log)")
        #expect(started["url"] as? String == server.url && started["version"] != nil, "\(started)")
        #expect(lines.last?["message"] as? String == "keep-server stopped", "\(server.log)")
        let push = try #require(lines.first { $0["path"] as? String == "/v1/push" }, "\(server.log)")
        #expect(push["device"] as? String == "anna-laptop" && push["tenant"] as? String == "kafeneio")
        #expect(push["received"] as? String == "2" && push["changed"] as? String == "2" && push["conflicted"] as? String == "0", "\(push)")
        #expect(lines.contains { $0["path"] as? String == "/v1/pull" && $0["sent"] != nil }, "\(server.log)")
        let refused = try #require(lines.first { $0["message"] as? String == "request refused" }, "\(server.log)")
        #expect(refused["refused"] as? String == "an unknown or revoked token, or one of a deleted shop", "\(refused)")
        #expect(refused["level"] as? String == "notice")
        #expect(!server.log.contains("kw1_"), "no token in the log")
    }
}
