/// The identity of one device (one laptop's login) in the catalog: 64 random bits as 16 lowercase hex digits.
///
/// It travels inside the device's token, so the server finds the device without scanning secrets.
public struct DeviceID: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts only the canonical form.
    public init?(_ rawValue: String) {
        guard rawValue.utf8.count == 16, rawValue.utf8.allSatisfy(Self.isLowercaseHex) else { return nil }
        self.rawValue = rawValue
    }

    /// A fresh random device id.
    public static func random() -> DeviceID {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return DeviceID(unchecked: String(repeating: "0", count: 16 - hex.count) + hex)
    }

    private init(unchecked rawValue: String) {
        self.rawValue = rawValue
    }

    static func isLowercaseHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    public var description: String { rawValue }
}
