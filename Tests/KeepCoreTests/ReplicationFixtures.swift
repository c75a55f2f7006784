@testable import KeepCore

/// Fixed identities, ordered a < b < c < d < e so that tie-breaks by dot are easy to predict.
enum Fixture {
    static let ana = ReplicaID(unchecked: "aaaaaaaaaaaaaaaa")
    static let bea = ReplicaID(unchecked: "bbbbbbbbbbbbbbbb")
    static let cy = ReplicaID(unchecked: "cccccccccccccccc")
    static let dan = ReplicaID(unchecked: "dddddddddddddddd")
    static let eve = ReplicaID(unchecked: "eeeeeeeeeeeeeeee")
    static let replicas = [ana, bea, cy, dan, eve]

    static let record = RecordID(unchecked: "0123456789abcdef0123456789abcdef")
    static let otherRecord = RecordID(unchecked: "fedcba9876543210fedcba9876543210")
}

/// One store holding one record, as a laptop or the server would: local writes take fresh dots, syncs merge.
struct Replica {
    let id: ReplicaID
    private(set) var state: RecordState
    let by: String

    init(_ id: ReplicaID, by: String, record: RecordID = Fixture.record, kind: RecordKind = .customer) {
        self.id = id
        self.by = by
        self.state = RecordState(id: record, kind: kind)
    }

    /// The dot the next local write takes.
    var nextDot: Dot { Dot(replica: id, counter: state.context[id] + 1) }

    mutating func write(_ values: [String: FieldValue], at: Int64) {
        state.write(values, dot: nextDot, at: at, by: by)
    }

    mutating func delete(at: Int64) {
        state.delete(dot: nextDot, at: at, by: by)
    }

    /// Merges in another replica's whole state, as a sync does.
    mutating func receive(_ other: RecordState) throws {
        state = try Merge.records(state, other)
    }

    mutating func receive(from other: Replica) throws {
        try receive(other.state)
    }
}

/// The join of any number of states, left to right.
func mergeAll(_ states: [RecordState]) throws -> RecordState {
    var result = states[0]
    for state in states.dropFirst() { result = try Merge.records(result, state) }
    return result
}

extension RecordState {
    /// The entries of `field`'s register, or none.
    func entries(_ field: String) -> [FieldEntry] { fields[field]?.entries ?? [] }

    /// The values of `field`'s register, strongest first.
    func values(_ field: String) -> [FieldValue] {
        guard let register = fields[field], let winner = register.winner else { return [] }
        return [winner.value] + register.losers.map(\.value)
    }

    /// Whether this state holds `dot` in `field`'s register.
    func holds(_ dot: Dot, in field: String) -> Bool { entries(field).contains { $0.dot == dot } }
}
