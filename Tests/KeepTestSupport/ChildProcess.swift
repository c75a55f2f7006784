public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A started child process whose end a test awaits instead of blocking in `waitUntilExit`.
///
/// Every test of a run and every server they start in-process share Swift concurrency's pool of one thread per
/// core. A test that blocks one of them while a child syncs for a minute stalls all the others: on two busy cores
/// two such tests left the isolation matrix's requests unanswered for 40 s. So children are waited for here, and
/// blocking work whose timing matters runs with ``onOwnThread(_:)``.
public final class ChildProcess: Sendable {
    public let process: Process
    private let ended = Ending()

    /// Starts `process`, whose arguments, environment and files are set.
    public init(starting process: Process) throws {
        self.process = process
        process.terminationHandler = { [ended] _ in ended.happened() }
        try process.run()
    }

    /// Waits for the process to end, holding no thread, and returns its status (the signal's number if killed).
    @discardableResult
    public func exit() async -> Int32 {
        await ended.wait()
        return process.terminationStatus
    }

    /// Whether the process ends within `seconds`, waiting without holding a thread: a bound against a hang only.
    public func ends(within seconds: Double) async -> Bool {
        let started = Date()
        while process.isRunning, Date().timeIntervalSince(started) < seconds {
            try? await Task.sleep(for: .milliseconds(100))
        }
        return !process.isRunning
    }

    /// Sends `signal` to the process.
    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// The end of a process, once it happened, and who waits for it until then.
    private final class Ending: Sendable {
        private let state = Mutex(State.running(waiting: []))

        private enum State {
            case running(waiting: [CheckedContinuation<Void, Never>])
            case ended
        }

        func happened() {
            let waiting = state.withLock { state in
                defer { state = .ended }
                guard case .running(let waiting) = state else { return [CheckedContinuation<Void, Never>]() }
                return waiting
            }
            for continuation in waiting { continuation.resume() }
        }

        func wait() async {
            await withCheckedContinuation { continuation in
                let ended = state.withLock { state in
                    guard case .running(let waiting) = state else { return true }
                    state = .running(waiting: waiting + [continuation])
                    return false
                }
                if ended { continuation.resume() }
            }
        }
    }
}

/// Runs `body` on a thread of its own and awaits it: for blocking work whose timing matters (polling a store for
/// the moment to kill a child), which must neither wait for a free thread of the shared pool nor hold one.
///
/// `body` must record no test issues: it runs outside the test's task.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
