import Foundation
import KeepTestSupport
import Testing

/// Writing a text in $EDITOR on a real pseudo-terminal at 80 columns (util-linux `script`), with a stub editor that
/// behaves as a person at the terminal: it asks on the terminal, reads the answer from it, and writes the file.
@Suite("Writing in $EDITOR on a terminal")
struct EditorTests {
    let folder: String
    let keep: KeepProcess
    let ref: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-editor-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/tmp", withIntermediateDirectories: true)
        var keep = KeepProcess(storePath: folder + "/keep.sqlite")
        keep.environment["TMPDIR"] = folder + "/tmp"
        keep.environment["COLUMNS"] = "80"
        keep.environment["TERM"] = "xterm-256color"
        keep.environment["STUB_LOG"] = folder + "/stub.log"
        self.keep = keep
        #expect(try keep.run("init", "--agent", "Ελένη").status == 0)
        let added = try #require(try keep.run("customer", "add", "Μαρία Παπαδοπούλου", "--json").json() as? [String: Any])
        ref = try #require(added["ref"] as? String)
    }

    /// A stub editor: `body` runs in /bin/sh with the file as $1, after it notes the file's and its folder's modes.
    func editor(_ name: String, _ body: String) throws -> String {
        let path = folder + "/" + name
        let script = """
            #!/bin/sh
            stat -c '%a' "$1" "$(dirname "$1")" > "$STUB_LOG"
            \(body)
            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    /// `keep ARGUMENTS` on a pseudo-terminal with `input` typed into it, bounded against a hang.
    func onTerminal(
        _ arguments: [String],
        editor: String = "vi",
        input: String,
        environment extra: [String: String] = [:]
    ) async throws -> (status: Int32, output: String) {
        let quoted = ([KeepProcess.executable.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", quoted.joined(separator: " "), "/dev/null"]
        var environment = keep.environment
        environment["EDITOR"] = editor
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        let child = try ChildProcess(starting: process)
        stdin.fileHandleForWriting.write(Data(input.utf8))
        // Against a hang only: an editor outside the terminal's foreground group is stopped for good.
        let ended = await child.ends(within: 60)
        if !ended {
            child.send(SIGKILL)
            _ = await child.exit()
        }
        try? stdin.fileHandleForWriting.close()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(ended, "keep note add did not end within 60 s: the editor was stopped, not given the terminal: \(output)")
        return (ended ? process.terminationStatus : -1, output)
    }

    var leftovers: [String] { (try? FileManager.default.contentsOfDirectory(atPath: folder + "/tmp")) ?? ["?"] }

    func notes() throws -> [[String: Any]] {
        try #require(try keep.run("note", "list", ref, "--json").json() as? [[String: Any]])
    }

    @Test func theEditorOwnsTheTerminalAndTheNoteIsStored() async throws {
        let editor = try editor(
            "asks",
            """
            printf 'Σημείωση: ' > /dev/tty
            IFS= read -r line < /dev/tty
            printf '%s\\n' "$line" > "$1"
            """
        )
        let text = "Ζήτησε προσφορά για ψυγείο Bosch, θα τον πάρω τηλέφωνο την Παρασκευή"
        let (status, output) = try await onTerminal(["note", "add", ref], editor: editor, input: text + "\n")
        #expect(status == 0, "\(output)")
        let stored = try notes()
        #expect(stored.contains { ($0["text"] as? String) == text }, "\(stored)")
        let modes = try String(contentsOfFile: folder + "/stub.log", encoding: .utf8).split(separator: "\n")
        #expect(modes == ["600", "700"], "the file and its folder are private to their owner: \(modes)")
        #expect(leftovers.isEmpty, "the temporary file is removed: \(leftovers)")
    }

    @Test func anInterruptedEditRecordsNothingAndLeavesNoFile() async throws {
        // Ctrl-C: SIGINT to the terminal's foreground process group, after half a note was saved.
        let editor = try editor(
            "interrupted",
            """
            printf 'Ζήτησε προσφορά για' > "$1"
            kill -INT 0
            sleep 5
            """
        )
        let (status, output) = try await onTerminal(["note", "add", ref], editor: editor, input: "")
        #expect(status == 130, "\(output)")
        #expect(output.contains("interrupted: nothing was recorded"), "\(output)")
        #expect(try notes().isEmpty)
        #expect(leftovers.isEmpty, "the temporary file is removed: \(leftovers)")
    }

    @Test("a customer's story longer than the terminal opens in $PAGER; a short note is printed as it is")
    func longOutputGoesThroughThePager() async throws {
        let text = "Ζήτησε προσφορά για ψυγείο Bosch και πλυντήριο, θα περάσει από το κατάστημα την Παρασκευή το απόγευμα"
        for index in 0..<20 { #expect(try keep.run("note", "add", ref, "\(index): \(text)").status == 0) }
        let pager = try editor("pager", "cat > \"$STUB_LOG\"")
        let (status, output) = try await onTerminal(["customer", "story", ref], input: "", environment: ["PAGER": pager])
        #expect(status == 0, "\(output)")
        let paged = try String(contentsOfFile: folder + "/stub.log", encoding: .utf8)
        #expect(paged.contains("19: Ζήτησε") && paged.contains("Παρασκευή"), "the whole story went to the pager: \(paged)")
        #expect(!output.contains("19: Ζήτησε"), "and not past it to the terminal")
        for line in paged.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }

        try FileManager.default.removeItem(atPath: folder + "/stub.log")
        let note = try #require((try keep.run("note", "list", ref, "--json").json() as? [[String: Any]])?.first?["ref"] as? String)
        let (shown, short) = try await onTerminal(["note", "show", note], input: "", environment: ["PAGER": pager])
        #expect(shown == 0 && short.contains("Παρασκευή το απόγευμα"), "\(short)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/stub.log"), "a page that fits is not paged")
    }

    @Test func anEditorThatIsNotInstalledIsNamed() async throws {
        let (status, output) = try await onTerminal(["note", "add", ref], editor: "no-such-editor-here", input: "")
        #expect(status == 69, "\(output)")
        #expect(output.contains("\"no-such-editor-here\" was not found: set EDITOR"), "\(output)")
        #expect(try notes().isEmpty)
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}
