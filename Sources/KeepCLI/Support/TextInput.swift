import Foundation
import KeepCore

/// Where a long text comes from: the argument, standard input, or the person's editor.
enum TextInput {
    /// The text given as an argument; "-" or no argument on a pipe reads standard input; no argument on a terminal opens $EDITOR.
    static func read(_ argument: String?, console: Console, what: String) throws -> String {
        if let argument, argument != "-" { return argument }
        if argument == "-" || !console.stdinIsTerminal {
            return try readStandardInput()
        }
        return try edit(what: what)
    }

    private static func readStandardInput() throws -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard data.count <= Limits.textLength * 4 else {
            throw KeepError("standard input holds \(data.count) bytes: a text may have at most \(Limits.textLength) characters", status: .usage)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw KeepError("standard input is not UTF-8 text: convert it, e.g. with iconv -t UTF-8", status: .dataError)
        }
        return text
    }

    /// Opens $VISUAL or $EDITOR (else vi) on a temporary file and returns what was saved.
    private static func edit(what: String) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("keep-\(UUID().uuidString).txt")
        let hint = "\n# Write the \(what) above. Lines starting with # are ignored; an empty \(what) cancels.\n"
        try Data(hint.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "keep-editor", file.path]
        do {
            try process.run()
        } catch {
            throw KeepError(
                "cannot start the editor \"\(editor)\": set EDITOR to an installed editor, or pass the \(what) as an argument",
                status: .unavailable
            )
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw KeepError("the editor exited with status \(process.terminationStatus): nothing was recorded", status: .unavailable)
        }
        let saved = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return saved.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
    }
}
