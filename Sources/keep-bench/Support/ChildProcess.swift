import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A finished process: how it ended, how long it took from spawn to exit, and its peak memory.
struct Finished: Sendable {
    let status: Int32
    let seconds: Double
    /// The child's peak resident set (ru_maxrss from wait4), in bytes.
    let peakRSSBytes: Int
    let stdout: String
    let stderr: String

    var succeeded: Bool { status == 0 }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Spawns executables with posix_spawn and reaps them with wait4, so the timing covers exactly the process's life
/// and the kernel reports its peak memory.
enum ChildProcess {
    /// Starts `executable` with `arguments` and `environment`, its output going to files (or /dev/null when nil).
    static func spawn(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String],
        stdout: String? = nil,
        stderr: String? = nil
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") }
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv + [nil], envp + [nil])
        guard result == 0 else { throw BenchFailure("cannot start \(executable): \(String(cString: strerror(result)))") }
        return pid
    }

    /// Waits for `pid` to end; returns its exit status (128+signal when killed) and its rusage.
    static func wait(_ pid: pid_t) -> (status: Int32, usage: rusage) {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return (signal == 0 ? (status >> 8) & 0xff : 128 + signal, usage)
    }

    /// Runs a process to its end, timing it from spawn to exit.
    ///
    /// - Parameter measuringMemory: run it under `/usr/bin/time -f %M` for its peak memory. wait4's ru_maxrss of a
    ///   process spawned from this one is wrong: the kernel carries the spawning process's own peak across exec (and
    ///   keep-bench holds whole shops in memory), so the peak must come from a small parent that forks it.
    static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String],
        capture: Bool = true,
        measuringMemory: Bool = false
    ) throws -> Finished {
        let folder = Scratch.folder("proc")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = capture ? folder + "/out" : nil
        let err = folder + "/err"
        let rssFile = folder + "/rss"
        let timer = "/usr/bin/time"
        let measured = measuringMemory && FileManager.default.isExecutableFile(atPath: timer)
        let (path, argv) = measured ? (timer, ["-f", "%M", "-o", rssFile, executable] + arguments) : (executable, arguments)
        let start = Clock.now()
        let pid = try spawn(path, argv, environment: environment, stdout: out, stderr: err)
        let (status, usage) = wait(pid)
        let seconds = Clock.now() - start
        var peak = Int(usage.ru_maxrss) * 1024
        if measured {
            let text = (try? String(contentsOfFile: rssFile, encoding: .utf8)) ?? ""
            guard let kilobytes = text.split(separator: "\n").last(where: { Int($0) != nil }).flatMap({ Int($0) }) else {
                throw BenchFailure("\(timer) gave no peak memory for \(executable): \(text)")
            }
            peak = kilobytes * 1024
        }
        return Finished(
            status: status,
            seconds: seconds,
            peakRSSBytes: peak,
            stdout: out.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        )
    }

    /// Runs a process that must succeed; its output is always captured, for the error when it fails.
    @discardableResult
    static func must(_ executable: String, _ arguments: [String], environment: [String: String], measuringMemory: Bool = false) throws -> Finished {
        let finished = try run(executable, arguments, environment: environment, measuringMemory: measuringMemory)
        guard finished.succeeded else {
            let name = (executable as NSString).lastPathComponent
            throw BenchFailure("\(name) \(arguments.joined(separator: " ")) failed (\(finished.status)): \(finished.stderr)\(finished.stdout)")
        }
        return finished
    }
}

/// Servers this run started, killed on the way out whatever happens (error, SIGINT, SIGTERM).
enum Children {
    private static let running = Mutex<Set<pid_t>>([])

    static func register(_ pid: pid_t) {
        running.withLock { _ = $0.insert(pid) }
        if let file = ProcessInfo.processInfo.environment["KEEP_BENCH_PIDFILE"], let handle = FileHandle(forWritingAtPath: file) {
            handle.seekToEndOfFile()
            handle.write(Data("\(pid)\n".utf8))
            try? handle.close()
        }
    }

    static func forget(_ pid: pid_t) {
        running.withLock { _ = $0.remove(pid) }
    }

    /// Sends SIGKILL to every server still running: for the way out of a failed or interrupted run.
    static func killAll() {
        let pids = running.withLock { $0 }
        for pid in pids { kill(pid, SIGKILL) }
    }

    /// On SIGINT or SIGTERM, kill the servers and stop.
    static func installSignalHandlers() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { number in
                Children.killAll()
                _exit(128 + number)
            }
        }
    }
}

/// Temporary folders for one benchmark run, under $KEEP_BENCH_TMP or the system's temporary folder.
enum Scratch {
    static var root: String {
        ProcessInfo.processInfo.environment["KEEP_BENCH_TMP"] ?? NSTemporaryDirectory()
    }

    /// A new empty folder named after `purpose`.
    static func folder(_ purpose: String) -> String {
        let path = (root as NSString).appendingPathComponent("keep-bench-\(purpose)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
