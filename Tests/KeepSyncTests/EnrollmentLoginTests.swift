import Foundation
import KeepTestSupport
import Testing

/// A new laptop logs in with the short code an operator printed, never seeing a token.
@Suite("Logging in with an enrollment code", .serialized)
struct EnrollmentLoginTests {
    @Test func aCodeLogsInOneLaptopAndNoOther() async throws {
        let server = try ServerProcess()
        _ = try await server.admin("tenant", "create", "kafeneio")
        let made = try await server.admin("device", "enroll", "kafeneio", "front desk", "--valid-for", "5", "--json")
        #expect(made.status == 0, "\(made.stderr)")
        let code = try #require(try made.json()["code"] as? String)

        let anna = try await Laptop(name: "anna", folder: server.laptops)
        let login = try await anna.must("login", server.url, "--enroll", code, "--pin", server.fingerprint)
        #expect(login.stdout.contains("Logged in to shop kafeneio as device front desk"), "\(login.stdout)")
        try await anna.must("customer", "add", "Ρίτα Καραγιάννη")
        #expect(try await anna.must("sync", "--json").json()["sent"] as? Int == 1)

        let bob = try await Laptop(name: "bob", folder: server.laptops)
        let reused = try await bob.keep("login", server.url, "--enroll", code, "--pin", server.fingerprint)
        #expect(reused.status == 77, "\(reused.stderr)")
        #expect(reused.stderr.contains("already used or expired"), "\(reused.stderr)")
        let neither = try await bob.keep("login", server.url)
        #expect(neither.status == 64)
        #expect(neither.stderr.contains("--enroll CODE") && neither.stderr.contains("--token TOKEN"), "\(neither.stderr)")
        let listed = try await server.admin("device", "list", "kafeneio")
        #expect(listed.stdout.contains("front desk"))
    }
}
