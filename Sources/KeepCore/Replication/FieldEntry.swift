/// One value of a field together with the write that produced it.
public struct FieldEntry: Sendable, Hashable, Codable, Comparable {
    /// The write's identity: the replica that made it and that replica's counter.
    public let dot: Dot
    public let value: FieldValue
    /// Wall-clock time of the write in milliseconds since 1970 (UTC): shown to people, and the first key of the pick.
    public let at: Int64
    /// The agent (person) who made the write, shown beside a conflict.
    public let by: String

    public init(dot: Dot, value: FieldValue, at: Int64, by: String) {
        self.dot = dot
        self.value = value
        self.at = at
        self.by = by
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case dot, value, at, by
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            dot: try container.decode(Dot.self, forKey: .dot),
            value: try container.decode(FieldValue.self, forKey: .value),
            at: try container.decode(Int64.self, forKey: .at),
            by: try container.decode(String.self, forKey: .by)
        )
    }

    /// Orders entries by how strongly they win the pick: later wall-clock time, then the dot.
    ///
    /// Any total order would keep the merge deterministic; this one makes the most recent write the one people see.
    public static func < (lhs: FieldEntry, rhs: FieldEntry) -> Bool {
        if lhs.at != rhs.at { return lhs.at < rhs.at }
        if lhs.dot != rhs.dot { return lhs.dot < rhs.dot }
        if lhs.value != rhs.value { return lhs.value < rhs.value }
        return Array(lhs.by.utf8).lexicographicallyPrecedes(rhs.by.utf8)
    }
}

/// A field's concurrent values: a multi-value register.
///
/// Normally one entry. Two or more entries mean writes that did not see each other: a conflict.
/// The entries are kept sorted by dot so that equal registers compare equal.
public struct FieldRegister: Sendable, Hashable, Codable {
    public private(set) var entries: [FieldEntry]

    public init(_ entries: [FieldEntry] = []) {
        self.entries = entries.sorted { $0.dot < $1.dot }
    }

    /// The value people see: the strongest entry. Nil for a register with no entries.
    public var winner: FieldEntry? { entries.max() }

    /// The entries that lost the pick, strongest first; non-empty exactly when the field is in conflict.
    public var losers: [FieldEntry] {
        guard let winner else { return [] }
        return entries.filter { $0 != winner }.sorted(by: >)
    }

    public var isConflicted: Bool { entries.count > 1 }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([FieldEntry].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(entries)
    }
}

/// A delete: the write that removed a record, and everything its author had seen of the record then.
public struct Tombstone: Sendable, Hashable, Codable, Comparable {
    /// The delete's own identity, as a write's: the replica that deleted and its counter.
    public let dot: Dot
    /// The record's causal context when it was deleted: writes covered here were seen and deleted on purpose.
    public let seen: VersionVector
    /// Wall-clock time of the delete in milliseconds since 1970 (UTC), shown beside a deletion conflict.
    public let at: Int64
    /// The agent (person) who deleted the record.
    public let by: String

    public init(dot: Dot, seen: VersionVector, at: Int64, by: String) {
        self.dot = dot
        self.seen = seen
        self.at = at
        self.by = by
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case dot, seen, at, by
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            dot: try container.decode(Dot.self, forKey: .dot),
            seen: try container.decode(VersionVector.self, forKey: .seen),
            at: try container.decode(Int64.self, forKey: .at),
            by: try container.decode(String.self, forKey: .by)
        )
    }

    public static func < (lhs: Tombstone, rhs: Tombstone) -> Bool {
        if lhs.dot != rhs.dot { return lhs.dot < rhs.dot }
        if lhs.at != rhs.at { return lhs.at < rhs.at }
        if lhs.seen != rhs.seen { return lhs.seen.description < rhs.seen.description }
        return Array(lhs.by.utf8).lexicographicallyPrecedes(rhs.by.utf8)
    }
}
