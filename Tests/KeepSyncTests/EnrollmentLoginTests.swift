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

/// A laptop logged in before logs in again as the same device: after its token was lost, with a code for its
/// existing device; after the server's certificate changed, with the token it keeps.
@Suite("Logging in again", .serialized)
struct LoggingInAgainTests {
    @Test func aLaptopLogsInAgainAsTheSameDeviceAndStore() async throws {
        let server = try ServerProcess()
        _ = try await server.admin("tenant", "create", "kafeneio")
        let first = try #require(try await server.admin("device", "enroll", "kafeneio", "front desk", "--json").json()["code"] as? String)
        let anna = try await Laptop(name: "anna", folder: server.laptops)
        try await anna.must("login", server.url, "--enroll", first, "--pin", server.fingerprint)
        try await anna.must("customer", "add", "Ρίτα Καραγιάννη")
        try await anna.must("sync")

        // The token is lost: a code for the existing device, not a new device (whose store would be refused).
        try FileManager.default.removeItem(atPath: anna.store + ".token")
        let taken = try await server.admin("device", "enroll", "kafeneio", "front desk")
        #expect(taken.status != 0)
        #expect(taken.stderr.contains("--existing"), "the refusal names the way: \(taken.stderr)")
        let again = try await server.admin("device", "enroll", "kafeneio", "front desk", "--existing", "--json")
        #expect(again.status == 0, "\(again.stderr)")
        let code = try #require(try again.json()["code"] as? String)
        try await anna.must("login", server.url, "--enroll", code, "--pin", server.fingerprint)
        try await anna.must("customer", "add", "Ona Jonaitienė")
        #expect(try await anna.must("sync", "--json").json()["sent"] as? Int == 1)
        let devices = try await server.admin("device", "list", "kafeneio", "--json")
        #expect(devices.stdout.components(separatedBy: "front desk").count == 2, "one device, not two: \(devices.stdout)")

        // The server's certificate changes (its TLS identity was lost): the refusal names the login that follows it,
        // which needs no token and no operator.
        let url = server.url
        server.stop()
        try FileManager.default.removeItem(atPath: server.data + "/tls")
        let restarted = try ServerProcess(data: server.data, port: Int(url.split(separator: ":").last ?? "") ?? 0)
        #expect(restarted.url == url)
        let refused = try await anna.keep("sync")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("keep login \(url) --pin \(restarted.fingerprint)"), "\(refused.stderr)")
        try await anna.must("login", url, "--pin", restarted.fingerprint)
        try await anna.must("customer", "add", "Sepideh Rezaei")
        #expect(try await anna.must("sync", "--json").json()["sent"] as? Int == 1)
    }
}
