/// What a replica has seen: for each replica, the highest counter of its writes seen so far.
///
/// Used as a record's causal context. A replica's writes to one record are seen in order,
/// so "seen counter n of replica r" implies every earlier write of r to that record was seen too.
public struct VersionVector: Sendable, Hashable, Codable, CustomStringConvertible {
    public private(set) var counters: [ReplicaID: UInt64]

    public init(_ counters: [ReplicaID: UInt64] = [:]) {
        self.counters = counters.filter { $0.value > 0 }
    }

    public subscript(replica: ReplicaID) -> UInt64 { counters[replica] ?? 0 }

    public var isEmpty: Bool { counters.isEmpty }

    /// Whether the write named by `dot` is covered by this vector.
    public func contains(_ dot: Dot) -> Bool { self[dot.replica] >= dot.counter }

    /// Records that `dot` has been seen.
    public mutating func insert(_ dot: Dot) {
        if dot.counter > self[dot.replica] { counters[dot.replica] = dot.counter }
    }

    /// The pointwise maximum: everything either side has seen.
    public func union(_ other: VersionVector) -> VersionVector {
        VersionVector(counters.merging(other.counters, uniquingKeysWith: max))
    }

    /// Whether everything this vector has seen, `other` has seen too.
    public func isDominated(by other: VersionVector) -> Bool {
        counters.allSatisfy { other[$0.key] >= $0.value }
    }

    public var description: String {
        "[" + counters.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ", ") + "]"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode([String: UInt64].self)
        var counters: [ReplicaID: UInt64] = [:]
        for (key, value) in raw {
            guard let replica = ReplicaID(key) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(key)\" is not a replica id")
            }
            counters[replica] = value
        }
        self.init(counters)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Dictionary(uniqueKeysWithValues: counters.map { ($0.key.rawValue, $0.value) }))
    }
}
