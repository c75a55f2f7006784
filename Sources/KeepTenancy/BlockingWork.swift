import NIOCore
import NIOPosix

/// Runs blocking work (SQLite reads, writes and their fsyncs) on a thread pool of its own, off the async
/// executors, so that one slow disk write does not stall every other request.
package enum BlockingWork {
    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }

    /// More threads than cores: most of the time here is a thread waiting for its shop's fsync, and waits for
    /// different shops overlap. NIO's shared pool has one thread per core, which left syncs queueing behind two
    /// fsyncs at a time. Like NIO's singletons, it lives as long as the process.
    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(16, System.coreCount * 4))
        pool.start()
        return pool
    }()
}
