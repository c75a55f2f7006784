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

    /// Opens $VISUAL or $EDITOR (else vi) on a private temporary file and returns what was saved. The editor owns the
    /// terminal; the file is removed however the edit ends, and an edit that does not end well records nothing.
    private static func edit(what: String) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let hint = "\n# Write the \(what) above. Lines starting with # are ignored; an empty \(what) cancels.\n"
        let file = try PrivateScratchFile(named: "\(what.replacingOccurrences(of: " ", with: "-")).txt", contents: hint)
        defer { file.remove() }
        let ending: TerminalProgram.Ending
        do {
            ending = try TerminalProgram.run(editor, arguments: [file.path])
        } catch {
            throw KeepError(
                "cannot start the editor \"\(editor)\" (\(error.reason)): set EDITOR to an installed editor, or pass the \(what) as an argument",
                status: .unavailable
            )
        }
        switch ending {
        case .exited(0):
            break
        case .exited(127):
            throw KeepError(
                "the editor \"\(editor)\" was not found: set EDITOR to an installed editor (e.g. nano), or pass the \(what) as an argument",
                status: .unavailable
            )
        case .exited(let status):
            throw KeepError("the editor exited with status \(status): nothing was recorded", status: .unavailable)
        case .killed(let signal) where signal == SIGINT:
            throw KeepError("the edit was interrupted: nothing was recorded", status: .interrupted)
        case .killed(let signal):
            throw KeepError("the editor was stopped by signal \(signal): nothing was recorded", status: .unavailable)
        }
        guard let saved = file.read() else {
            throw KeepError("the editor left no readable UTF-8 text: nothing was recorded; save the file as UTF-8", status: .dataError)
        }
        return saved.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
    }
}
