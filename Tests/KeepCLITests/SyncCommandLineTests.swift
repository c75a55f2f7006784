import Foundation
import Testing

/// The sync commands' refusals that need no server.
@Suite("keep login, sync, conflicts and resolve without a server")
struct SyncCommandLineTests {
    let keep: KeepProcess

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-sync-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        keep = KeepProcess(storePath: folder + "/keep.sqlite")
        try keep.run("init", "--agent", "test")
    }

    private let token = "kw1_0123456789abcdef_" + String(repeating: "A", count: 43)

    @Test func loginRefusesPlainHTTPAndBadTokens() throws {
        let plain = try keep.run("login", "http://127.0.0.1:8443", "--token", token)
        #expect(plain.status == 64)
        #expect(plain.stderr.contains("only over TLS"))
        let badToken = try keep.run("login", "https://127.0.0.1:8443", "--token", "hunter2")
        #expect(badToken.status == 64)
        #expect(badToken.stderr.contains("not a device token"))
        let both = try keep.run(
            "login",
            "https://127.0.0.1:8443",
            "--token",
            token,
            "--pin",
            String(repeating: "0", count: 64),
            "--ca-file",
            "/etc/hosts"
        )
        #expect(both.status == 64)
        let shortPin = try keep.run("login", "https://127.0.0.1:8443", "--token", token, "--pin", "abc")
        #expect(shortPin.status == 64)
    }

    @Test func loginToNothingSaysSoAndSavesNothing() throws {
        let result = try keep.run("login", "https://127.0.0.1:9", "--token", token)
        #expect(result.status == 69)
        #expect(result.stderr.contains("cannot reach"))
        #expect(!FileManager.default.fileExists(atPath: keep.storePath + ".token"))
    }

    @Test func syncBeforeLoginSaysToLogIn() throws {
        let result = try keep.run("sync")
        #expect(result.status == 78)
        #expect(result.stderr.contains("keep login"))
    }

    @Test func noConflictsAndUnknownConflicts() throws {
        let none = try keep.run("conflicts", "--json")
        #expect(none.status == 0)
        #expect(try none.json() as? [Any] != nil)
        let unknown = try keep.run("resolve", "abcd1234/name", "--take", "mine")
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("keep conflicts"))
    }
}
