public import Foundation

/// The executables built beside the test bundle.
public enum Executables {
    public static func url(_ name: String) -> URL {
        var folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: name)
    }

    public static var keepServer: URL { url("keep-server") }
}

/// What a finished process printed.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Standard output as a JSON object.
    public func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
            throw TestFailure("expected a JSON object, got: \(stdout)")
        }
        return object
    }

    /// Standard output as a JSON object whose members are all strings.
    public func strings() throws -> [String: String] {
        guard let object = try json() as? [String: String] else { throw TestFailure("expected a JSON object of strings, got: \(stdout)") }
        return object
    }
}

/// A test's own failure, with what went wrong.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Runs an executable to completion, capturing its output in files: a chatty process can never block on a full pipe.
///
/// The wait holds no thread (see ``ChildProcess``).
public func runProcess(
    _ executable: URL,
    _ arguments: [String],
    environment: [String: String],
    in directory: String? = nil
) async throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = environment
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-proc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let stdoutURL = folder.appendingPathComponent("out")
    let stderrURL = folder.appendingPathComponent("err")
    FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
    FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
    process.standardError = try FileHandle(forWritingTo: stderrURL)
    process.standardInput = FileHandle.nullDevice
    let status = try await ChildProcess(starting: process).exit()
    return ProcessResult(
        status: status,
        stdout: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
    )
}
