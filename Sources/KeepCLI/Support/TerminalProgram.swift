import Foundation
import KeepCore

#if canImport(Glibc)
import Glibc
#endif

/// A program the person uses in this terminal (an editor, a pager), run as git runs them: in keep's own process
/// group, so that it owns the terminal (Foundation's `Process` puts a child in a group of its own, where an editor
/// that reads the terminal is stopped), with Ctrl-C and Ctrl-\ going to it while keep waits.
enum TerminalProgram {
    /// How the program ended.
    enum Ending: Equatable {
        case exited(Int32)
        case killed(signal: Int32)
    }

    /// Runs `command` (a shell command line, as $EDITOR and $PAGER are: it may carry its own arguments) with
    /// `arguments` after it, and waits for it.
    ///
    /// - Parameter input: a descriptor for the program's standard input instead of keep's own (a pager reads the
    ///   text from a pipe).
    static func run(_ command: String, arguments: [String], input: Int32? = nil) throws(TerminalProgramError) -> Ending {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // keep ignores Ctrl-C while it waits; the program must not inherit that.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input { posix_spawn_file_actions_adddup2(&actions, input, STDIN_FILENO) }

        let argv = ["/bin/sh", "-c", command + " \"$@\"", "keep"] + arguments
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        let ignoredInterrupt = signal(SIGINT, SIG_IGN)
        let ignoredQuit = signal(SIGQUIT, SIG_IGN)
        defer {
            signal(SIGINT, ignoredInterrupt)
            signal(SIGQUIT, ignoredQuit)
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, cArguments, environ)
        guard spawned == 0 else { throw TerminalProgramError(command: command, reason: String(cString: strerror(spawned))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw TerminalProgramError(command: command, reason: String(cString: strerror(errno))) }
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .killed(signal: signal)
    }
}

/// Long output shown through the person's pager on a terminal, as git does: `$PAGER` (else `less`, with `LESS=FRX`
/// unless set, so that a page that fits is just printed and colours pass); straight to standard output otherwise.
enum Pager {
    static func show(_ text: String, console: Console) {
        let environment = ProcessInfo.processInfo.environment
        let pager = environment["PAGER"] ?? "less"
        guard let rows = console.height, !pager.isEmpty, pager != "cat",
            text.split(separator: "\n", omittingEmptySubsequences: false).count >= rows
        else {
            print(text)
            return
        }
        if environment["LESS"] == nil { setenv("LESS", "FRX", 1) }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            print(text)
            return
        }
        fflush(nil)
        // A pager quit before the end closes the pipe: the rest is dropped, not a crash.
        let ignoredPipe = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, ignoredPipe) }
        let writer = ends[1]
        _ = fcntl(writer, F_SETFD, FD_CLOEXEC)
        let feeding = Thread {
            let bytes = Array((text + "\n").utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
                if written <= 0 { break }
                offset += written
            }
            close(writer)
        }
        feeding.start()
        let ending = try? TerminalProgram.run(pager, arguments: [], input: ends[0])
        close(ends[0])
        if ending == nil || ending == .exited(127) { print(text) }
    }
}

/// Why a terminal program could not be run.
struct TerminalProgramError: Error {
    let command: String
    let reason: String
}

/// A file only this user may read (0600, in a folder of its own, 0700), for a text on its way into the book, removed
/// by `remove()` and also when keep is hung up on or terminated meanwhile.
final class PrivateScratchFile {
    let path: String
    private let folder: String

    /// Creates the folder under $TMPDIR (or /tmp) and the file `name` in it, holding `contents`.
    init(named name: String, contents: String) throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/keep-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw KeepError(
                "cannot make a private folder under \(base) (\(String(cString: strerror(errno)))): set TMPDIR to a folder you may write",
                status: .cannotCreate
            )
        }
        folder = String(cString: made)
        path = folder + "/" + name
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            rmdir(folder)
            throw KeepError("cannot write \(path): \(String(cString: strerror(errno)))", status: .cannotCreate)
        }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count else {
            remove()
            throw KeepError("cannot write \(path): \(String(cString: strerror(errno)))", status: .cannotCreate)
        }
        ScratchCleanup.watch(file: path, folder: folder)
    }

    /// What the file holds now; nil when it is gone or not UTF-8.
    func read() -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    func remove() {
        ScratchCleanup.forget()
        unlink(path)
        rmdir(folder)
    }

    deinit { remove() }
}

/// Removes the scratch file when keep is hung up on or terminated while the person writes: the handler may only call
/// async-signal-safe functions, so the paths wait in C strings made before.
private enum ScratchCleanup {
    // Written only by the main thread before the handler is installed and after it is removed.
    nonisolated(unsafe) private static var file: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var folder: UnsafeMutablePointer<CChar>?
    private static let signals = [SIGHUP, SIGTERM]

    static func watch(file path: String, folder: String) {
        forget()
        file = strdup(path)
        self.folder = strdup(folder)
        for number in signals {
            signal(number) { received in
                if let file = ScratchCleanup.file { unlink(file) }
                if let folder = ScratchCleanup.folder { rmdir(folder) }
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    static func forget() {
        for number in signals { signal(number, SIG_DFL) }
        free(file)
        free(folder)
        file = nil
        folder = nil
    }
}
