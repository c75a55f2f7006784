public import Foundation
import KeepStore
import Synchronization

/// Brings shops' stores to this build's schema, each on its own after a backup of its file, so that one
/// locked, damaged or full store is reported and left as it was while the others go on.
public struct TenantMigration: Sendable {
    /// What happened to one shop's store.
    public struct Outcome: Sendable, Hashable {
        public enum Result: Sendable, Hashable {
            /// Already at this build's schema: nothing to do.
            case current
            /// Migrated; the file as it was is kept at `backup`.
            case migrated(backup: String)
            /// A dry run: these migrations would be applied.
            case wouldMigrate(pending: [String])
            /// Not migrated, and left exactly as it was.
            case failed(String)
        }

        public let tenant: TenantSlug
        /// The schema version after the run (or the current one, for a failure or a dry run); nil when unreadable.
        public let version: Int?
        public let result: Result

        public var failed: Bool {
            if case .failed = result { true } else { false }
        }
    }

    public let dataRoot: DataRoot
    /// How long to wait for a store another program is writing before reporting it locked.
    public var lockTimeout: TimeInterval = 5

    public init(dataRoot: DataRoot) {
        self.dataRoot = dataRoot
    }

    /// Migrates (or, with `dryRun`, inspects) `tenants` with up to `jobs` at once; outcomes in the order given.
    public func run(_ tenants: [TenantSlug], dryRun: Bool, jobs: Int, now: Date = Date()) -> [Outcome] {
        let outcomes = Mutex([Outcome?](repeating: nil, count: tenants.count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, tenants.count))) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < tenants.count else { return }
                let outcome = migrate(tenants[index], dryRun: dryRun, now: now)
                outcomes.withLock { $0[index] = outcome }
            }
        }
        return outcomes.withLock { $0.compactMap { $0 } }
    }

    private func migrate(_ tenant: TenantSlug, dryRun: Bool, now: Date) -> Outcome {
        let path = dataRoot.storePath(of: tenant)
        // The version as last read: a failed migration changed nothing, so it still holds.
        var version: Int?
        do {
            let status = try ReplicaStore.schemaStatus(at: path, lockTimeout: lockTimeout)
            version = status.version
            if status.isCurrent { return Outcome(tenant: tenant, version: status.version, result: .current) }
            if dryRun { return Outcome(tenant: tenant, version: status.version, result: .wouldMigrate(pending: status.pending)) }
            let backup = dataRoot.backupsFolder(of: tenant) + "/before-v\(SchemaStatus.latestVersion)-\(Self.stamp(now)).sqlite"
            let (_, after) = try ReplicaStore.migrate(
                at: path,
                backupTo: backup,
                lockTimeout: lockTimeout,
                auditedAs: "keep-server migrate",
                now: now
            )
            return Outcome(tenant: tenant, version: after.version, result: .migrated(backup: backup))
        } catch {
            return Outcome(tenant: tenant, version: version, result: .failed(error.description))
        }
    }

    /// A time for file names: sortable, UTC, with no characters a shell or another system would mind.
    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        return formatter.string(from: date)
    }
}
