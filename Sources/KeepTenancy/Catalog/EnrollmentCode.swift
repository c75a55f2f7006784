import Crypto
public import Foundation

/// A short, single-use code an operator hands to a new laptop instead of a token: `keep login URL --enroll CODE`
/// turns it into the laptop's own token, so a token never travels by chat or mail.
///
/// Ten characters of Crockford's base32 (50 bits), shown as `XXXXX-XXXXX`. That is guessable only with many
/// tries: the code expires within minutes and `POST /v1/enroll` is rate limited per address. The catalog
/// keeps only its SHA-256.
public struct EnrollmentCode: Sendable, CustomStringConvertible {
    private let characters: String

    /// Without I, L, O and U, so that a code read aloud or copied by hand cannot be misread.
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    private static let length = 10

    /// The longest and default time a code stays valid.
    public static let longestValidity: TimeInterval = 24 * 3600
    public static let defaultValidity: TimeInterval = 15 * 60

    /// A new code from the system's cryptographically secure generator.
    public static func generate() -> EnrollmentCode {
        var generator = SystemRandomNumberGenerator()
        return EnrollmentCode(characters: String((0..<length).map { _ in alphabet.randomElement(using: &generator)! }))
    }

    private init(characters: String) {
        self.characters = characters
    }

    /// Reads a code as a person typed it: any case, with or without the dash or spaces; nil if it cannot be one.
    public init?(_ text: String) {
        guard text.utf8.count <= 32 else { return nil }
        let typed = text.uppercased().filter { $0 != "-" && $0 != " " }
        guard typed.count == Self.length, typed.allSatisfy(Self.alphabet.contains) else { return nil }
        self.init(characters: typed)
    }

    /// The code as shown to the operator: `XXXXX-XXXXX`.
    public var description: String { String(characters.prefix(5)) + "-" + String(characters.suffix(5)) }

    /// What the catalog stores.
    var hash: Data { Data(SHA256.hash(data: Data(characters.utf8))) }
}
