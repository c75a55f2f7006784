/// A shop's identifier on the server, which also names its folder under the data root.
///
/// `^[a-z0-9][a-z0-9-]{1,62}$`: no dots, slashes or capitals, so no slug can name a path outside the data root
/// or collide with another on a case-insensitive disk.
public struct TenantSlug: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts only a valid slug.
    public init?(_ rawValue: String) {
        let bytes = Array(rawValue.utf8)
        guard (2...63).contains(bytes.count), Self.isLowerAlphanumeric(bytes[0]) else { return nil }
        guard bytes.allSatisfy({ Self.isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }) else { return nil }
        self.rawValue = rawValue
    }

    /// Reads a slug an operator typed, explaining what is wrong with a bad one.
    public static func parse(_ text: String) throws(KeepServerError) -> TenantSlug {
        guard let slug = TenantSlug(text) else { throw KeepServerError(.badSlug(text)) }
        return slug
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    public var description: String { rawValue }

    public static func < (lhs: TenantSlug, rhs: TenantSlug) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let slug = TenantSlug(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a shop slug is 2 to 63 lowercase letters, digits and dashes")
        }
        self = slug
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
