import Foundation
import KeepTenancy

#if canImport(Glibc)
import Glibc
#endif

/// Where the `keep` and `keep-server` executables are: beside `keep-bench` (the same build), or in $KEEP_BIN.
enum Binaries {
    static var folder: String {
        if let folder = ProcessInfo.processInfo.environment["KEEP_BIN"], !folder.isEmpty { return folder }
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return me.deletingLastPathComponent().path
    }

    static var keep: String { folder + "/keep" }
    static var keepServer: String { folder + "/keep-server" }

    /// Which build the executables come from: "release" or "debug", by their folder's name.
    static var configuration: String {
        let name = (folder as NSString).lastPathComponent
        return name == "release" || name == "debug" ? name : folder
    }

    static func check() throws {
        for path in [keep, keepServer] where !FileManager.default.isExecutableFile(atPath: path) {
            throw BenchFailure("\(path) is missing: build it first (swift build -c release), or point KEEP_BIN at the folder holding it")
        }
    }
}

/// A real `keep-server serve` process on 127.0.0.1 and a free port, over its own data root.
final class ServerProcess {
    let dataRoot: DataRoot
    let pid: pid_t
    let url: String
    let fingerprint: String
    let logPath: String
    private var stopped = false

    /// Starts the server and waits for the line that says where it listens.
    init(data: String) throws {
        dataRoot = DataRoot(data)
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let announcement = data + "/server.out"
        logPath = data + "/server.log"
        pid = try ChildProcess.spawn(
            Binaries.keepServer,
            ["serve", "--data", data, "--host", "127.0.0.1", "--port", "0"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": data, "USER": "bench"],
            stdout: announcement,
            stderr: logPath
        )
        Children.register(pid)
        let deadline = Clock.now() + 60
        var line = ""
        while Clock.now() < deadline {
            if let text = try? String(contentsOfFile: announcement, encoding: .utf8), let first = text.split(separator: "\n").first,
                text.contains("\n")
            {
                line = String(first)
                break
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                Children.forget(pid)
                stopped = true
                throw BenchFailure("keep-server exited at start: \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
            }
            usleep(10_000)
        }
        let words = line.split(separator: " ")
        guard words.first == "listening", let address = words.first(where: { $0.hasPrefix("https://") }),
            let fingerprint = words.first(where: { $0.hasPrefix("sha256=") })
        else {
            kill(pid, SIGKILL)
            _ = ChildProcess.wait(pid)
            Children.forget(pid)
            stopped = true
            throw BenchFailure("keep-server did not say where it listens: \(line)")
        }
        url = String(address)
        self.fingerprint = String(fingerprint.dropFirst("sha256=".count))
    }

    /// The PEM certificate the server presents (its self-signed one), for pinning.
    func certificatePEM() throws -> String {
        let folder = dataRoot.tlsFolder
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for file in files.sorted() where file.hasSuffix(".pem") {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            if text.contains("BEGIN CERTIFICATE") { return text }
        }
        throw BenchFailure("no certificate under \(folder)")
    }

    var residentBytes: Int { ProcFS.residentBytes(pid) ?? 0 }
    var peakResidentBytes: Int { ProcFS.peakResidentBytes(pid) ?? 0 }
    var openFiles: Int { ProcFS.openFiles(pid) ?? 0 }

    /// SIGTERM, then SIGKILL if it has not stopped within 10 seconds.
    func stop() {
        guard !stopped else { return }
        stopped = true
        kill(pid, SIGTERM)
        let deadline = Clock.now() + 10
        var status: Int32 = 0
        while Clock.now() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                Children.forget(pid)
                return
            }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        _ = ChildProcess.wait(pid)
        Children.forget(pid)
    }

    deinit { stop() }
}

/// One laptop's store driven through the real `keep` executable.
struct LaptopProcess {
    let folder: String
    let store: String
    let environment: [String: String]

    init(folder: String, agent: String = "bench") {
        self.folder = folder
        store = folder + "/keep.sqlite"
        environment = [
            "KEEP_STORE": store, "HOME": folder, "PATH": "/usr/bin:/bin", "USER": agent, "TZ": "Europe/Athens", "NO_COLOR": "1",
        ]
    }

    /// `keep init` then `keep login URL --token T --pin FP`.
    static func loggedIn(
        folder: String,
        server: ServerProcess,
        token: String,
        agent: String = "bench",
        initialize: Bool = true
    ) throws -> LaptopProcess {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let laptop = LaptopProcess(folder: folder, agent: agent)
        if initialize { try laptop.must(["init", "--agent", agent]) }
        try laptop.must(["login", server.url, "--token", token, "--pin", server.fingerprint])
        return laptop
    }

    @discardableResult
    func must(_ arguments: [String], measuringMemory: Bool = false) throws -> Finished {
        try ChildProcess.must(Binaries.keep, arguments, environment: environment, measuringMemory: measuringMemory)
    }

    func run(_ arguments: [String], capture: Bool = true) throws -> Finished {
        try ChildProcess.run(Binaries.keep, arguments, environment: environment, capture: capture)
    }
}
