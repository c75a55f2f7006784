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

/// How busy the whole machine was while a scenario ran, and how much of that was other programs: a figure taken
/// while something else used the cores is slower for that reason, and the report says so.
struct MachineLoad {
    /// Seconds of CPU spent by every program (all cores), and stolen by the hypervisor.
    private let busy: Double
    private let steal: Double
    /// Seconds of CPU spent by this process and every child it has waited for (the keep and keep-server processes).
    private let ours: Double
    private let at: Double

    static func now() -> MachineLoad {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let line = ((try? String(contentsOfFile: "/proc/stat", encoding: .utf8)) ?? "").split(separator: "\n").first ?? ""
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        // user nice system idle iowait irq softirq steal ...
        let busy = fields.count >= 7 ? (fields[0] + fields[1] + fields[2] + fields[5] + fields[6]) / ticks : 0
        let steal = fields.count >= 8 ? fields[7] / ticks : 0
        var mine = rusage()
        var children = rusage()
        getrusage(RUSAGE_SELF.rawValue, &mine)
        getrusage(RUSAGE_CHILDREN.rawValue, &children)
        func seconds(_ usage: rusage) -> Double {
            Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
                + Double(usage.ru_stime.tv_usec) / 1e6
        }
        return MachineLoad(busy: busy, steal: steal, ours: seconds(mine) + seconds(children), at: Clock.now())
    }

    /// "the cores were 93% busy, 4% of it other programs (3.1 s of CPU); 0.0 s stolen".
    func describe(since start: MachineLoad) -> String {
        let cores = Double(max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let elapsed = max(at - start.at, 0.001)
        let busy = busy - start.busy
        let others = max(0, busy - (ours - start.ours))
        return String(
            format: "the %.0f cores were %.0f%% busy, %.0f%% of that other programs (%.1f s of CPU); %.1f s stolen by the hypervisor",
            cores,
            100 * busy / (elapsed * cores),
            busy > 0 ? 100 * others / busy : 0,
            others,
            steal - start.steal
        )
    }
}
