/// The rule for names people give shops and devices: 1 to 80 characters, no line breaks, control characters or
/// invisible ones.
///
/// Invisible characters (bidirectional controls such as U+202E, zero-width spaces) would let two names that look
/// alike differ, so that `device revoke` of the name a person reads misses the device. The zero-width (non-)joiner
/// is allowed between two letters of a script that needs it, as in the Persian "رضایی‌نژاد".
enum DisplayName {
    static let maximumLength = 80

    /// Returns `name` if it is usable as the name of a `what` ("shop", "device").
    static func validate(_ name: String, what: String) throws(KeepServerError) -> String {
        let usable =
            !name.isEmpty && name.count <= maximumLength
            && !name.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }
            && !name.allSatisfy(\.isWhitespace) && !hasStrayInvisible(name)
        guard usable else { throw KeepServerError(.badName(name, what: what)) }
        return name
    }

    private static let joiners: Set<Unicode.Scalar> = ["\u{200C}", "\u{200D}"]

    /// Whether `name` holds a format character (Unicode's Cf) other than a joiner between two non-ASCII letters.
    private static func hasStrayInvisible(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        return scalars.indices.contains { index in
            let scalar = scalars[index]
            guard scalar.properties.generalCategory == .format else { return false }
            guard joiners.contains(scalar), index > 0, index < scalars.count - 1 else { return true }
            return ![scalars[index - 1], scalars[index + 1]].allSatisfy { !$0.isASCII && $0.properties.isAlphabetic }
        }
    }
}
