import AsyncHTTPClient
import Foundation
import KeepProtocol
import KeepTestSupport
import NIOCore
import NIOHTTP1
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("keep-server command line")
struct CommandLineTests {
    @Test("tenant create, device add --json and device revoke, as real processes")
    func adminCommands() async throws {
        let folder = TemporaryFolder()
        let created = try await keepServer(
            ["tenant", "create", "corner-shop", "--name", "The Corner Shop", "--json", "--data", "data"],
            in: folder.path
        )
        #expect(created.status == 0, "\(created.stderr)")
        let tenant = try created.strings()
        #expect(Set(tenant.keys) == ["slug", "name", "status", "serverReplica", "createdAt"])
        #expect(tenant["status"] == "active")
        #expect(tenant["slug"] == "corner-shop")
        #expect(tenant["name"] == "The Corner Shop")
        #expect(tenant["serverReplica"]?.wholeMatch(of: /[0-9a-f]{16}/) != nil)
        #expect(tenant["createdAt"].flatMap { ISO8601DateFormatter().date(from: $0) } != nil)
        #expect(FileManager.default.fileExists(atPath: folder.path + "/data/shops/corner-shop/store.sqlite"))

        let added = try await keepServer(["device", "add", "corner-shop", "front desk", "--json", "--data", "data"], in: folder.path)
        #expect(added.status == 0, "\(added.stderr)")
        let device = try added.strings()
        #expect(Set(device.keys) == ["tenant", "device", "token"])
        #expect(device["tenant"] == "corner-shop")
        #expect(device["device"] == "front desk")
        #expect(device["token"]?.wholeMatch(of: /kw1_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/) != nil)

        let revoked = try await keepServer(["device", "revoke", "corner-shop", "front desk", "--data", "data"], in: folder.path)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        #expect(revoked.stdout.contains("front desk"))

        // The default data folder is ./Tenants.
        let byDefault = try await keepServer(["tenant", "create", "other-shop"], in: folder.path)
        #expect(byDefault.status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.path + "/Tenants/shops/other-shop/store.sqlite"))
    }

    @Test("a shop's restore keeps the operators' audit trail, and each entry names who really ran the command")
    func theAuditTrailSurvivesARestore() async throws {
        let folder = TemporaryFolder()
        // As an operator runs it: `sudo -u keepword keep-server …`, the data folder in $KEEP_DATA.
        let environment = ["PATH": "/usr/bin:/bin", "HOME": folder.path, "USER": "keepword", "SUDO_USER": "anna", "KEEP_DATA": "data"]
        func run(_ arguments: String...) async throws -> ProcessResult {
            let result = try await runProcess(Executables.keepServer, arguments, environment: environment, in: folder.path)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return result
        }
        try await run("tenant", "create", "kafeneio")
        try await run("device", "add", "kafeneio", "till")
        try await run("backup", "--to", "backups", "--tenant", "kafeneio")
        try await run("device", "add", "kafeneio", "front desk")
        try await run("device", "revoke", "kafeneio", "till", "--actor", "Νίκος Γεωργίου")
        let backup = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/backups").first)
        try await run("restore", "--tenant", "kafeneio", "--from", "backups/" + backup)

        let shown = try await run("tenant", "show", "kafeneio", "--json")
        let detail = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let audit = try #require(detail["audit"] as? [[String: Any]])
        let entries = audit.map { "\($0["actor"] as? String ?? "?"): \($0["action"] as? String ?? "?") \($0["detail"] as? String ?? "")" }
        #expect(
            entries == [
                "operator anna (as keepword): tenant create kafeneio",
                "operator anna (as keepword): device add till",
                "operator anna (as keepword): device add front desk",
                "operator Νίκος Γεωργίου: device revoke till",
                "operator anna (as keepword): tenant restore from \(folder.path)/backups/\(backup)/kafeneio.sqlite",
            ],
            "\(entries)"
        )

        let hidden = try await runProcess(
            Executables.keepServer,
            ["device", "revoke", "kafeneio", "front desk", "--actor", "anna\u{202E}"],
            environment: environment,
            in: folder.path
        )
        #expect(hidden.status == 64, "an actor with invisible characters is refused: \(hidden.stderr)")
    }

    @Test("a second serve on the same data folder, a taken port and an unreachable server are said in words")
    func servingProblemsAreSaidInWords() async throws {
        let first = try ServerProcess()
        let environment = ["PATH": "/usr/bin:/bin", "HOME": first.data]
        let twice = try await runProcess(Executables.keepServer, ["serve", "--data", first.data, "--port", "0"], environment: environment)
        #expect(twice.status == 69, "\(twice.stderr)")
        #expect(twice.stderr.contains("another keep-server already serves \(first.data): stop it first"), "\(twice.stderr)")

        let other = TemporaryFolder()
        let taken = try await runProcess(
            Executables.keepServer,
            ["serve", "--data", other.path + "/data", "--port", String(first.port)],
            environment: environment
        )
        #expect(taken.status == 69, "\(taken.stderr)")
        #expect(taken.stderr.contains("port \(first.port) is already in use") && !taken.stderr.contains("bind("), "\(taken.stderr)")

        // The first server still serves, and once it stops the folder can be served again.
        #expect(try await first.admin("tenant", "list").status == 0)
        first.stop()
        let laptop = ["KEEP_STORE": other.path + "/anna.sqlite", "PATH": "/usr/bin:/bin", "HOME": other.path]
        #expect(try await runProcess(Executables.url("keep"), ["init", "--agent", "anna"], environment: laptop).status == 0)
        let token = "kw1_0123456789abcdef_" + String(repeating: "a", count: 43)
        let refused = try await runProcess(
            Executables.url("keep"),
            ["login", "https://127.0.0.1:\(first.port)", "--token", token],
            environment: laptop
        )
        #expect(refused.status == 69, "\(refused.stderr)")
        #expect(refused.stderr.contains("nothing answers on port \(first.port) at 127.0.0.1"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("SingleConnectionFailure"), "\(refused.stderr)")
        let again = try ServerProcess(data: first.data)
        #expect(try await again.admin("tenant", "list").status == 0)
    }

    @Test("bad input gets one line `keep-server: problem: fix`, a sysexits status, and changes nothing")
    func badInput() async throws {
        let folder = TemporaryFolder()
        #expect(try await keepServer(["tenant", "create", "corner-shop", "--data", "data"], in: folder.path).status == 0)
        #expect(try await keepServer(["device", "add", "corner-shop", "laptop", "--data", "data"], in: folder.path).status == 0)
        let before = try Self.snapshot(folder.path + "/data")

        let cases: [(arguments: [String], status: Int32)] = [
            (["tenant", "create", "../x"], 64),
            (["tenant", "create", "A"], 64),
            (["tenant", "create", "x/y"], 64),
            (["tenant", "create", "corner-shop"], 65),
            (["tenant", "create", "new-shop", "--name", ""], 64),
            (["device", "add", "corner-shop", "laptop"], 65),
            (["device", "add", "no-such-shop", "laptop"], 66),
            (["device", "add", "corner-shop", ""], 64),
            (["device", "revoke", "corner-shop", "nobody"], 66),
            (["device", "revoke", "no-such-shop", "laptop"], 66),
            (["serve", "--tls-cert", "missing.pem", "--tls-key", "missing.key"], 66),
            (["serve", "--tls-cert", "missing.pem"], 64),
            (["serve", "--port", "70000"], 64),
        ]
        for (arguments, status) in cases {
            let result = try await keepServer(arguments + ["--data", "data"], in: folder.path)
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(arguments): \(result.stderr)")
            #expect(lines.first?.hasPrefix("keep-server: ") == true)
            #expect(lines.first?.contains(": ") == true)
            #expect(result.stdout.isEmpty)
        }
        #expect(try Self.snapshot(folder.path + "/data") == before)

        // In a folder with no data yet, a failing command leaves no data folder behind.
        let empty = TemporaryFolder()
        for arguments in [
            ["device", "add", "corner-shop", "laptop"], ["serve", "--tls-cert", "a.pem", "--tls-key", "b.pem"], ["tenant", "create", "A"],
        ] {
            #expect(try await keepServer(arguments, in: empty.path).status != 0)
        }
        #expect(!FileManager.default.fileExists(atPath: empty.path + "/Tenants"))
    }

    @Test("serve --port 0 prints its one line, serves shops created while it runs, and stops cleanly on SIGTERM")
    func serve() async throws {
        let folder = TemporaryFolder()
        let process = Process()
        process.executableURL = Executables.keepServer
        process.arguments = ["serve", "--port", "0", "--data", folder.path + "/data"]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": folder.path]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/null"))
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let line = try #require(Self.readLine(stdout.fileHandleForReading))
        let match = try #require(line.wholeMatch(of: /listening on https:\/\/127\.0\.0\.1:([0-9]+) sha256=([0-9a-f]{64})/))
        let port = try #require(Int(match.1))
        #expect(port > 0)
        // The fingerprint laptops pin: the server's own authority, the last certificate of the chain it presents.
        let pem = try NIOSSLCertificateFile.der(folder.path + "/data/tls/ca.pem")
        #expect(String(match.2) == SHA256Hex.of(pem))

        // A shop and device made by another process while the server runs.
        #expect(try await keepServer(["tenant", "create", "late-shop", "--data", "data"], in: folder.path).status == 0)
        let token = try await keepServer(["device", "add", "late-shop", "laptop", "--json", "--data", "data"], in: folder.path).strings()["token"]
        let client = HTTPClient.unverified()
        let status = await Result(catching: {
            var request = HTTPClientRequest(url: "https://127.0.0.1:\(port)/v1/hello")
            request.headers.add(name: "Authorization", value: "Bearer \(token ?? "")")
            request.headers.add(name: ProtocolVersion.protocolHeader, value: String(ProtocolVersion.current))
            request.headers.add(name: ProtocolVersion.schemaHeader, value: String(ProtocolVersion.schema))
            return try await client.execute(request, timeout: .seconds(60)).status.code
        })
        try await client.shutdown()
        #expect(try status.get() == 200)

        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!process.isRunning)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(Self.readLine(stdout.fileHandleForReading) == nil, "serve prints exactly one line")
    }

    /// Reads one line (without its newline) from `handle`; nil at end of file.
    private static func readLine(_ handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte.first == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes += byte
        }
    }

    /// Every file under `path` with its contents, to show that nothing changed.
    private static func snapshot(_ path: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let relative = enumerator?.nextObject() as? String {
            var isFolder: ObjCBool = false
            let full = path + "/" + relative
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            // SQLite's shared-memory index changes on every open; the database and its log are what matter.
            if relative.hasSuffix("-shm") { continue }
            files[relative] = try Data(contentsOf: URL(fileURLWithPath: full))
        }
        return files
    }
}
