/// One write event: the replica that made it and that replica's counter at the time.
///
/// Dots are unique: a replica never reuses a counter value, so a dot names exactly one write.
public struct Dot: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let replica: ReplicaID
    public let counter: UInt64

    public init(replica: ReplicaID, counter: UInt64) {
        self.replica = replica
        self.counter = counter
    }

    public static func < (lhs: Dot, rhs: Dot) -> Bool {
        (lhs.replica, lhs.counter) < (rhs.replica, rhs.counter)
    }

    public var description: String { "\(replica):\(counter)" }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case replica, counter
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(replica: try container.decode(ReplicaID.self, forKey: .replica), counter: try container.decode(UInt64.self, forKey: .counter))
    }
}
