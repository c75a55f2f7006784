/// Refuses JSON members a message does not define: a state with a member nobody reads is a broken or hostile
/// peer, and silently dropping it would hide that (MERGE.md §3: all members are required, and no others).
extension Decoder {
    /// The container of a message whose members are exactly the cases of `Key`, throwing `dataCorrupted` at the
    /// first member of another name: the coding keys are the one list of what a message may hold.
    public func strictContainer<Key: CodingKey & CaseIterable>(keyedBy _: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let allowed = Set(Key.allCases.map(\.stringValue))
        let members = try container(keyedBy: MemberName.self)
        if let unknown = members.allKeys.first(where: { !allowed.contains($0.stringValue) }) {
            let problem = "there is no member \"\(unknown.stringValue.prefix(40))\" here: send only \(allowed.sorted().joined(separator: ", "))"
            throw DecodingError.dataCorruptedError(forKey: unknown, in: members, debugDescription: problem)
        }
        return try container(keyedBy: Key.self)
    }
}

/// Any member name.
private struct MemberName: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        return nil
    }
}
