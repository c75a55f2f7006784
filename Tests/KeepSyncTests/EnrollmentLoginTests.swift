import Foundation
import KeepTestSupport
import Testing

/// A new laptop logs in with the short code an operator printed, never seeing a token.
@Suite("Logging in with an enrollment code", .serialized)
struct EnrollmentLoginTests {
    @Test func aCodeLogsInOneLaptopAndNoOther() throws {
        let server = try ServerProcess()
        let folder = server.data + "/laptops"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = try server.admin("tenant", "create", "kafeneio")
        let made = try server.admin("device", "enroll", "kafeneio", "front desk", "--valid-for", "5", "--json")
        #expect(made.status == 0, "\(made.stderr)")
        let code = try #require(try made.json()["code"] as? String)

        let anna = try Laptop(name: "anna", folder: folder)
        let login = try anna.must("login", server.url, "--enroll", code, "--pin", server.fingerprint)
        #expect(login.stdout.contains("Logged in to shop kafeneio as device front desk"), "\(login.stdout)")
        try anna.must("customer", "add", "Ρίτα Καραγιάννη")
        #expect(try anna.must("sync", "--json").json()["sent"] as? Int == 1)

        let bob = try Laptop(name: "bob", folder: folder)
        let reused = try bob.keep("login", server.url, "--enroll", code, "--pin", server.fingerprint)
        #expect(reused.status == 77, "\(reused.stderr)")
        #expect(reused.stderr.contains("already used or expired"), "\(reused.stderr)")
        let neither = try bob.keep("login", server.url)
        #expect(neither.status == 64)
        #expect(neither.stderr.contains("--enroll CODE") && neither.stderr.contains("--token TOKEN"), "\(neither.stderr)")
        let listed = try server.admin("device", "list", "kafeneio")
        #expect(listed.stdout.contains("front desk"))
    }
}
