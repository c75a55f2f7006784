/// Refuses JSON members a message does not define: a state with a member nobody reads is a broken or hostile
/// peer, and silently dropping it would hide that (MERGE.md §3: all members are required, and no others).
extension Decoder {
    /// Throws `dataCorrupted` at the first member whose name is not in `allowed`.
    public func rejectUnknownMembers(_ allowed: Set<String>) throws {
        let container = try container(keyedBy: MemberName.self)
        guard let unknown = container.allKeys.first(where: { !allowed.contains($0.stringValue) }) else { return }
        throw DecodingError.dataCorruptedError(
            forKey: unknown,
            in: container,
            debugDescription: "there is no member \"\(unknown.stringValue.prefix(40))\" here: send only \(allowed.sorted().joined(separator: ", "))"
        )
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
