import Foundation
import KeepTestSupport

/// Runs the real `keep` executable, as a shop owner's shell would, against one test's store.
struct KeepProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// The standard output parsed as JSON.
        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed]) }
    }

    let storePath: String
    var environment: [String: String]

    /// The `keep` executable built beside the test bundle.
    static let executable = Executables.url("keep")

    /// A fixed-offset zone in which it is now late morning, so that "+2h" and "today" fall on the same day
    /// whenever the test runs (in Athens, a run after 22:00 put "+2h" on tomorrow).
    static var lateMorningTimeZone: String { timeZone(whereItIsNow: 11) }

    /// A fixed-offset zone in which the hour now is `hour`.
    static func timeZone(whereItIsNow hour: Int) -> String {
        let utcHour = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date()).hour ?? 0
        // Etc/GMT-N is N hours east of UTC; the tz database has offsets from -12 to +14.
        let east = (hour - utcHour + 36) % 24 - 12
        return east >= 0 ? "Etc/GMT-\(east)" : "Etc/GMT+\(-east)"
    }

    init(storePath: String, timeZone: String = "Europe/Athens") {
        self.storePath = storePath
        environment = [
            "KEEP_STORE": storePath,
            "TZ": timeZone,
            "HOME": (storePath as NSString).deletingLastPathComponent,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "USER": "tester",
            "LANG": "C.UTF-8",
        ]
    }

    /// Runs `keep ARGUMENTS`, feeding `input` (or nothing) on standard input.
    @discardableResult
    func run(_ arguments: [String], input: String = "") throws -> Result {
        try runProgram(Self.executable.path, arguments, input: input)
    }

    /// Runs another program in this test's environment, such as `script` around keep.
    func runProgram(_ path: String, _ arguments: [String], input: String = "") throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        // Read both pipes at once, so that a large output on one cannot block the child.
        let outData = LockedData()
        let reader = Thread { outData.set(stdout.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let errData = stderr.fileHandleForReading.readDataToEndOfFile()
        while !outData.isSet { usleep(1000) }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData.value, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }

    @discardableResult
    func run(_ arguments: String...) throws -> Result { try run(arguments) }
}

/// Data handed from the reading thread to the test, behind a lock.
private final class LockedData: @unchecked Sendable {  // every access holds `lock`
    private let lock = NSLock()
    private var data: Data?

    func set(_ value: Data) { lock.withLock { data = value } }

    var isSet: Bool { lock.withLock { data != nil } }

    var value: Data { lock.withLock { data ?? Data() } }
}
