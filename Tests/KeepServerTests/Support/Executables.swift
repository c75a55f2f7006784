import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The executables built beside the test bundle.
enum Executables {
    static func url(_ name: String) -> URL {
        var folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: name)
    }

    static var keepServer: URL { url("keep-server") }
}

/// What a finished process printed.
struct ProcessResult {
    let status: Int32
    let stdout: String
    let stderr: String

    func json() throws -> [String: String] {
        guard let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: String] else {
            throw TestFailure("expected a JSON object of strings, got: \(stdout)")
        }
        return object
    }
}

/// Runs `keep-server ARGUMENTS` to completion, capturing its output in files (a pipe could fill and block).
func keepServer(_ arguments: [String], in folder: String) throws -> ProcessResult {
    let process = Process()
    process.executableURL = Executables.keepServer
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    process.environment = ["PATH": "/usr/bin:/bin", "HOME": folder]
    let id = UUID().uuidString
    let stdoutPath = folder + "/out-\(id)"
    let stderrPath = folder + "/err-\(id)"
    FileManager.default.createFile(atPath: stdoutPath, contents: nil)
    FileManager.default.createFile(atPath: stderrPath, contents: nil)
    defer {
        try? FileManager.default.removeItem(atPath: stdoutPath)
        try? FileManager.default.removeItem(atPath: stderrPath)
    }
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    )
}
