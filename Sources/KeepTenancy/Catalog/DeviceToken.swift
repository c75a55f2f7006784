import Crypto
import Foundation

/// A device's bearer token: `kw1_<device id>_<secret>`, the secret being 256 random bits in base64url.
///
/// The server keeps only SHA-256 of the secret. The token's `description` never shows the secret, so
/// that interpolating a token into a log line leaks nothing; ``text`` is for showing it once to its owner.
public struct DeviceToken: Sendable {
    public let device: DeviceID
    private let secret: [UInt8]

    private static let prefix = "kw1_"
    private static let secretByteCount = 32
    /// 32 bytes in base64url without padding.
    private static let secretTextCount = 43

    /// A new token for `device`, from the system's cryptographically secure generator.
    public static func generate(for device: DeviceID) -> DeviceToken {
        var generator = SystemRandomNumberGenerator()
        return DeviceToken(device: device, secret: (0..<secretByteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    private init(device: DeviceID, secret: [UInt8]) {
        self.device = device
        self.secret = secret
    }

    /// Reads a token a client sent; nil for anything that is not exactly a well-formed token.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        let idEnd = Self.prefix.utf8.count + 16
        guard bytes.count == idEnd + 1 + Self.secretTextCount, text.hasPrefix(Self.prefix), bytes[idEnd] == UInt8(ascii: "_") else { return nil }
        guard let device = DeviceID(String(decoding: bytes[Self.prefix.utf8.count..<idEnd], as: UTF8.self)) else { return nil }
        let secretText = String(decoding: bytes[(idEnd + 1)...], as: UTF8.self)
        guard let secret = Base64URL.decode(secretText), secret.count == Self.secretByteCount,
            Base64URL.encode(secret) == secretText
        else { return nil }
        self.init(device: device, secret: secret)
    }

    /// The whole token, to show once to the device's owner and never to log.
    public var text: String { Self.prefix + device.rawValue + "_" + Base64URL.encode(secret) }

    /// What the catalog stores: SHA-256 of the secret.
    var secretHash: [UInt8] { Array(SHA256.hash(data: secret)) }

    /// Whether this token's secret hashes to `storedHash`, in time that does not depend on where they differ.
    func matches(storedHash: [UInt8]) -> Bool {
        let hash = secretHash
        guard hash.count == storedHash.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(hash, storedHash) { difference |= a ^ b }
        return difference == 0
    }
}

extension DeviceToken: CustomStringConvertible {
    /// The token with its secret hidden, safe for logs.
    public var description: String { Self.prefix + device.rawValue + "_…" }
}

/// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5).
private enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> [UInt8]? {
        guard text.utf8.allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "=") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }
}
