import KeepCore
import KeepStore

/// Reads a server store's file directly, to check what the protocol says against what is on disk.
enum ReplicaStoreProbe {
    /// Opens a store and closes it again, returning what it was.
    static func open(_ path: String) throws -> ReplicaStore {
        let store = try ReplicaStore.open(at: path)
        try store.close()
        return store
    }

    static func records(at path: String) throws -> [RecordState] {
        let store = try ReplicaStore.open(at: path)
        defer { try? store.close() }
        return try store.changes(after: 0, limit: 100_000).states
    }
}
