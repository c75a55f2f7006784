/// Writes that did not see each other and that a person should settle.
///
/// Conflicts are not stored beside the record: they are read off its merged state, so that every
/// replica holding the same state shows the same conflicts, and a write that has seen them all
/// makes them go away everywhere.
public struct Conflict: Sendable, Hashable {
    /// What the writes disagree about.
    public enum Subject: Sendable, Hashable {
        /// The field was written concurrently.
        case field(String)
        /// The record was deleted while it was being edited somewhere else.
        case deletion([Tombstone])
    }

    public let record: RecordID
    public let kind: RecordKind
    public let subject: Subject
    /// The value shown meanwhile, for a field conflict.
    public let winner: FieldEntry?
    /// The values that lost the pick, strongest first. Nothing is dropped: each is kept here until settled.
    public let losers: [FieldEntry]

    /// The name a deletion conflict takes in place of a field's: no field may have it (MERGE.md §2.7).
    public static let deletionName = "deleted"

    /// A stable name for the conflict: the same on every replica holding the same state.
    public var key: String {
        switch subject {
        case .field(let field): "\(record.rawValue)/\(field)"
        case .deletion: "\(record.rawValue)/\(Self.deletionName)"
        }
    }
}
