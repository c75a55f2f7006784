public import GRDB
public import KeepCore

/// A live record this build cannot read: a required field is missing or holds a value of another kind
/// (Sync/SCHEMA.md). Its state is kept and replicated as it is; `keep check` lists it with the reason.
public struct UnreadableRecord: Sendable, Hashable, Codable {
    public var recordID: RecordID
    public var kind: RecordKind
    /// The field that stops the reader (empty if the reader could not say).
    public var field: String
    public var reason: String

    init(_ state: RecordState) {
        let problem = state.kind.problem(reading: state)
        recordID = state.id
        kind = state.kind
        field = problem?.field ?? ""
        reason = problem?.reason ?? "does not follow its kind's schema"
    }

    public enum Columns {
        public static let recordID = Column(CodingKeys.recordID)
        public static let kind = Column(CodingKeys.kind)
        public static let field = Column(CodingKeys.field)
        public static let reason = Column(CodingKeys.reason)
    }
}

extension UnreadableRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "unreadableRecord"
}

extension RecordKind: DatabaseValueConvertible {}

extension ReplicaStore {
    /// The live records this build cannot read, by kind and id.
    public func unreadableRecords() throws(StoreError) -> [UnreadableRecord] {
        try read { db in
            try UnreadableRecord.order(UnreadableRecord.Columns.kind, UnreadableRecord.Columns.recordID).fetchAll(db)
        }
    }

    /// How many live records this build cannot read.
    public func unreadableCount() throws(StoreError) -> Int {
        try read { db in try UnreadableRecord.fetchCount(db) }
    }
}
