public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `keep-server` process on a free loopback port, with its own data root.
public final class ServerProcess {
    public let data: String
    public let process: Process
    public let url: String
    public let fingerprint: String
    private let stderrFile: String

    /// Starts a server on `port` (0 for a free one) over the data root `data` (a new one when nil), with at most
    /// `fileLimit` open files when given (as a host with a low limit runs it).
    public init(data existing: String? = nil, port: Int = 0, fileLimit: Int? = nil, options: [String] = []) throws {
        data = existing ?? FileManager.default.temporaryDirectory.appendingPathComponent("keep-server-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        stderrFile = data + "/server.log"
        FileManager.default.createFile(atPath: stderrFile, contents: nil)
        process = Process()
        let arguments = ["serve", "--data", data, "--host", "127.0.0.1", "--port", String(port)] + options
        if let fileLimit {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
            process.arguments = ["--nofile=\(fileLimit):\(fileLimit)", "--", Executables.keepServer.path] + arguments
        } else {
            process.executableURL = Executables.keepServer
            process.arguments = arguments
        }
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": data]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrFile))
        try process.run()
        // The first line says where it listens: "listening on https://127.0.0.1:PORT sha256=HEX".
        var line = Data()
        let deadline = Date().addingTimeInterval(120)
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
    public func admin(_ arguments: String...) async throws -> ProcessResult {
        try await runProcess(Executables.keepServer, arguments + ["--data", data], environment: ["PATH": "/usr/bin:/bin", "HOME": data])
    }

    /// Creates a shop (unless it exists) and a device in it, returning the device's token.
    public func enroll(tenant: String, device: String) async throws -> String {
        let created = try await admin("tenant", "create", tenant, "--json")
        if created.status != 0 && !created.stderr.contains("exists") { throw TestFailure("tenant create: \(created.stderr)") }
        let added = try await admin("device", "add", tenant, device, "--json")
        guard added.status == 0, let token = try added.json()["token"] as? String else { throw TestFailure("device add: \(added.stderr)") }
        return token
    }

    /// The server's store of `shop`.
    public func storePath(of shop: String) -> String { data + "/shops/\(shop)/store.sqlite" }

    /// The folder in the data root where this server's test laptops keep their stores.
    public var laptops: String { data + "/laptops" }

    /// A new laptop `name` with its store in ``laptops``, logged in to this server as device `device` of `shop`.
    public func laptop(_ name: String, of shop: String, device: String) async throws -> Laptop {
        let laptop = try await Laptop(name: name, folder: laptops)
        try await laptop.must("login", url, "--token", enroll(tenant: shop, device: device))
        return laptop
    }

    /// Stops the server with SIGTERM and waits for it to end.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
    }

    /// What the server wrote to its log (standard error) so far.
    public var log: String { (try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? "" }

    /// The port the server listens on.
    public var port: Int { Int(url.split(separator: ":").last ?? "") ?? 0 }

    /// Set when the data root belongs to a later server process, which removes it instead.
    public var keepsData = false

    deinit {
        stop()
        if !keepsData { try? FileManager.default.removeItem(atPath: data) }
    }
}

/// A fresh server with the shop kafeneio and two of its laptops, anna and bob, logged in as the devices
/// anna-laptop and bob-laptop: where most sync stories begin.
public func twoLaptopsOfOneShop() async throws -> (server: ServerProcess, anna: Laptop, bob: Laptop) {
    let server = try ServerProcess()
    let anna = try await server.laptop("anna", of: "kafeneio", device: "anna-laptop")
    let bob = try await server.laptop("bob", of: "kafeneio", device: "bob-laptop")
    return (server, anna, bob)
}

/// One laptop: its own store file, driven through the real `keep` executable.
public struct Laptop: Sendable {
    public let store: String
    public let environment: [String: String]

    /// A new laptop with the store `NAME.sqlite` in `folder` (created when missing), made with `keep init`.
    public init(name: String, folder: String) async throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        store = folder + "/\(name).sqlite"
        environment = ["KEEP_STORE": store, "TZ": "Europe/Athens", "HOME": folder, "PATH": "/usr/bin:/bin", "USER": name]
        let created = try await runProcess(Executables.url("keep"), ["init", "--agent", name], environment: environment)
        guard created.status == 0 else { throw TestFailure("keep init: \(created.stderr)") }
    }

    /// Runs `keep ARGUMENTS` on this laptop.
    @discardableResult
    public func keep(_ arguments: String...) async throws -> ProcessResult {
        try await runProcess(Executables.url("keep"), arguments, environment: environment)
    }

    /// Runs a command that must succeed, returning its output.
    @discardableResult
    public func must(_ arguments: String...) async throws -> ProcessResult {
        let result = try await runProcess(Executables.url("keep"), arguments, environment: environment)
        guard result.status == 0 else { throw TestFailure("keep \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)") }
        return result
    }

    /// Starts `keep ARGUMENTS` on this laptop with its output dropped, to be killed mid-way.
    public func start(_ arguments: String...) throws -> ChildProcess {
        let process = Process()
        process.executableURL = Executables.url("keep")
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return try ChildProcess(starting: process)
    }
}
