/// The rule for names people give shops and devices: 1 to 80 characters, no line breaks or control characters.
enum DisplayName {
    static let maximumLength = 80

    /// Returns `name` if it is usable as the name of a `what` ("shop", "device").
    static func validate(_ name: String, what: String) throws(KeepServerError) -> String {
        let usable =
            !name.isEmpty && name.count <= maximumLength
            && !name.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }
            && !name.allSatisfy(\.isWhitespace)
        guard usable else { throw KeepServerError(.badName(name, what: what)) }
        return name
    }
}
