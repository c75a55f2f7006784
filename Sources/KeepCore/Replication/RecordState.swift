/// Everything a replica knows of one record: its fields as multi-value registers, its tombstones,
/// and its causal context.
///
/// This whole state is the unit of replication: replicas exchange complete record states and
/// combine them with ``Merge/records(_:_:)``. Invariant: every dot held in a register or a
/// tombstone is covered by `context`.
public struct RecordState: Sendable, Hashable, Codable {
    public let id: RecordID
    public let kind: RecordKind
    public internal(set) var context: VersionVector
    public internal(set) var fields: [String: FieldRegister]
    public internal(set) var tombstones: [Tombstone]

    /// A record nobody has written yet.
    public init(id: RecordID, kind: RecordKind) {
        self.init(id: id, kind: kind, context: VersionVector(), fields: [:], tombstones: [])
    }

    public init(id: RecordID, kind: RecordKind, context: VersionVector, fields: [String: FieldRegister], tombstones: [Tombstone]) {
        self.id = id
        self.kind = kind
        self.context = context
        self.fields = fields.filter { !$0.value.entries.isEmpty }
        self.tombstones = tombstones.sorted { $0.dot < $1.dot }
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case id, kind, context, fields, tombstones
    }

    /// Decodes through the memberwise initializer, so that a peer's JSON in another order (or with
    /// empty registers) yields the same normalized state, equal to its own merge with itself.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(RecordID.self, forKey: .id),
            kind: try container.decode(RecordKind.self, forKey: .kind),
            context: try container.decode(VersionVector.self, forKey: .context),
            fields: try container.decode([String: FieldRegister].self, forKey: .fields),
            tombstones: try container.decode([Tombstone].self, forKey: .tombstones)
        )
    }

    /// Whether every dot the state holds is covered by its context (what a well-formed state always satisfies).
    ///
    /// Also rejects what only a corrupt peer sends and the join laws do not survive: a dot with counter 0
    /// (every state counts as having seen it) and a dot held twice in one register or among the tombstones.
    public var isWellFormed: Bool {
        // Almost every register holds one entry and almost no record a tombstone: only more than one needs a set.
        fields.values.allSatisfy { register in
            register.entries.allSatisfy { $0.dot.counter > 0 && context.contains($0.dot) }
                && (register.entries.count < 2 || Set(register.entries.map(\.dot)).count == register.entries.count)
        }
            && tombstones.allSatisfy { $0.dot.counter > 0 && context.contains($0.dot) && $0.seen.isDominated(by: context) }
            && (tombstones.count < 2 || Set(tombstones.map(\.dot)).count == tombstones.count)
    }

    // MARK: Reading

    /// The value people see for `field`, or nil if it was never written.
    public func value(_ field: String) -> FieldValue? { fields[field]?.winner?.value }

    /// Whether the record is deleted.
    ///
    /// A record stays alive when some value was written that no delete had seen: an edit made
    /// concurrently with a delete brings the record back, because losing a customer's words is
    /// worse than seeing a record twice.
    public var isDeleted: Bool {
        guard !tombstones.isEmpty else { return false }
        let seenByDeletes = tombstones.reduce(VersionVector()) { $0.union($1.seen) }
        let unseenWrite = fields.values.contains { register in
            register.entries.contains { !seenByDeletes.contains($0.dot) }
        }
        return !unseenWrite
    }

    /// The record was deleted somewhere while someone else edited it: a person must settle it.
    public var hasDeleteConflict: Bool { !tombstones.isEmpty && !isDeleted }

    /// The conflicts this state holds, in a stable order.
    public var conflicts: [Conflict] {
        var result = fields.keys.sorted().compactMap { field -> Conflict? in
            guard let register = fields[field], register.isConflicted, let winner = register.winner else { return nil }
            return Conflict(record: id, kind: kind, subject: .field(field), winner: winner, losers: register.losers)
        }
        if hasDeleteConflict {
            result.append(Conflict(record: id, kind: kind, subject: .deletion(tombstones), winner: nil, losers: []))
        }
        return result
    }

    // MARK: Writing on the local replica

    /// Writes `values` as one local write with the fresh `dot`.
    ///
    /// Each written field's register is replaced: the local replica holds every value it has seen,
    /// so the write supersedes them all, settling any conflict on that field. Writing to a record
    /// also takes back any delete this replica has seen (the person is clearly keeping it).
    public mutating func write(_ values: [String: FieldValue], dot: Dot, at: Int64, by: String) {
        precondition(!context.contains(dot), "a write needs a fresh dot")
        for (field, value) in values {
            fields[field] = FieldRegister([FieldEntry(dot: dot, value: value, at: at, by: by)])
        }
        tombstones = []
        context.insert(dot)
    }

    /// Deletes the record as one local write with the fresh `dot`; fields are kept so that a
    /// concurrent edit can bring the whole record back.
    public mutating func delete(dot: Dot, at: Int64, by: String) {
        precondition(!context.contains(dot), "a delete needs a fresh dot")
        tombstones = [Tombstone(dot: dot, seen: context, at: at, by: by)]
        context.insert(dot)
    }
}
