import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What Linux says about a running process: its memory and open files.
enum ProcFS {
    /// A field of /proc/PID/status given in kB (VmRSS, VmHWM), in bytes; nil when the process is gone.
    static func statusBytes(_ pid: pid_t, _ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let number = line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
            return number.map { $0 * 1024 }
        }
        return nil
    }

    static func residentBytes(_ pid: pid_t) -> Int? { statusBytes(pid, "VmRSS") }
    static func peakResidentBytes(_ pid: pid_t) -> Int? { statusBytes(pid, "VmHWM") }

    /// How many files the process has open (entries of /proc/PID/fd).
    static func openFiles(_ pid: pid_t) -> Int? {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd"))?.count
    }

    /// Resets the process's peak resident set (VmHWM) to its current one, so the next peak is this phase's own.
    /// Returns false when the kernel does not allow it.
    @discardableResult
    static func resetPeak(_ pid: pid_t) -> Bool {
        let descriptor = open("/proc/\(pid)/clear_refs", O_WRONLY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return write(descriptor, "5", 1) == 1
    }
}

/// Samples a process's memory and open files every few milliseconds while a load runs, keeping the peaks.
final class ResourceSampler: @unchecked Sendable {
    // Touched only by the sampling thread until `stop()` has joined it; read afterwards.
    private(set) var peakRSS = 0
    private(set) var peakFiles = 0
    private(set) var lastRSS = 0
    private(set) var lastFiles = 0
    private var thread: Thread?
    private let pid: pid_t
    private let interval: Double
    private let done = DispatchSemaphore(value: 0)
    private let stopping = DispatchSemaphore(value: 0)

    init(pid: pid_t, interval: Double = 0.1) {
        self.pid = pid
        self.interval = interval
    }

    func start() {
        let thread = Thread { [self] in
            while stopping.wait(timeout: .now() + interval) == .timedOut {
                sample()
            }
            sample()
            done.signal()
        }
        self.thread = thread
        thread.start()
    }

    func stop() {
        stopping.signal()
        done.wait()
    }

    private func sample() {
        if let rss = ProcFS.residentBytes(pid) {
            lastRSS = rss
            peakRSS = max(peakRSS, rss)
        }
        if let files = ProcFS.openFiles(pid) {
            lastFiles = files
            peakFiles = max(peakFiles, files)
        }
    }
}
