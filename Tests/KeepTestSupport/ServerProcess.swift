import Foundation
import KeepTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A real `keep-server` process on a free loopback port, with its own data root.
final class ServerProcess {
    let data: String
    let process: Process
    let url: String
    let fingerprint: String
    private let stderrFile: String

    /// Starts a server on `port` (0 for a free one) over the data root `data` (a new one when nil).
    init(data existing: String? = nil, port: Int = 0) throws {
        data = existing ?? FileManager.default.temporaryDirectory.appendingPathComponent("keep-server-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        stderrFile = data + "/server.log"
        FileManager.default.createFile(atPath: stderrFile, contents: nil)
        process = Process()
        process.executableURL = Executables.url("keep-server")
        process.arguments = ["serve", "--data", data, "--host", "127.0.0.1", "--port", String(port)]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": data]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrFile))
        try process.run()
        // The first line says where it listens: "listening on https://127.0.0.1:PORT sha256=HEX".
        var line = Data()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let byte = stdout.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        let words = text.split(separator: " ")
        guard words.count >= 3, words[0] == "listening", let address = words.first(where: { $0.hasPrefix("https://") }) else {
            process.terminate()
            throw TestFailure("keep-server did not start: \(text) \((try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? "")")
        }
        url = String(address)
        fingerprint = words.first { $0.hasPrefix("sha256=") }.map { String($0.dropFirst(7)) } ?? ""
    }

    /// Runs `keep-server ARGUMENTS --data DATA`.
    @discardableResult
    func admin(_ arguments: String...) throws -> ProcessResult {
        try runProcess(Executables.url("keep-server"), arguments + ["--data", data], environment: ["PATH": "/usr/bin:/bin", "HOME": data])
    }

    /// Creates a shop and a device in it, returning the device's token.
    func enroll(tenant: String, device: String) throws -> String {
        let created = try admin("tenant", "create", tenant, "--json")
        if created.status != 0 && !created.stderr.contains("exists") { throw TestFailure("tenant create: \(created.stderr)") }
        let added = try admin("device", "add", tenant, device, "--json")
        guard added.status == 0, let token = try added.json()["token"] as? String else { throw TestFailure("device add: \(added.stderr)") }
        return token
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
    }

    /// The port the server listens on.
    var port: Int { Int(url.split(separator: ":").last ?? "") ?? 0 }

    /// Set when the data root belongs to a later server process, which removes it instead.
    var keepsData = false

    deinit {
        stop()
        if !keepsData { try? FileManager.default.removeItem(atPath: data) }
    }
}

/// One laptop: its own store file, driven through the real `keep` executable.
struct Laptop {
    let store: String
    let environment: [String: String]

    init(name: String, folder: String) throws {
        store = folder + "/\(name).sqlite"
        environment = ["KEEP_STORE": store, "TZ": "Europe/Athens", "HOME": folder, "PATH": "/usr/bin:/bin", "USER": name]
        let created = try runProcess(Executables.url("keep"), ["init", "--agent", name], environment: environment)
        guard created.status == 0 else { throw TestFailure("keep init: \(created.stderr)") }
    }

    @discardableResult
    func keep(_ arguments: String...) throws -> ProcessResult {
        try runProcess(Executables.url("keep"), arguments, environment: environment)
    }

    /// Runs a command that must succeed, returning its output.
    @discardableResult
    func must(_ arguments: String...) throws -> ProcessResult {
        let result = try runProcess(Executables.url("keep"), arguments, environment: environment)
        guard result.status == 0 else { throw TestFailure("keep \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)") }
        return result
    }
}
