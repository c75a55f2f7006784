import Foundation

/// A country's calling code, the digits after + in its numbers: 30 for Greece, 370 for Lithuania, 98 for Iran.
///
/// The shop's own makes a number written without it ("697 000 1111") the same as one written with it
/// ("+30 697 000 1111").
public struct CountryCode: Sendable, Hashable, CustomStringConvertible {
    /// One to three digits, not starting with 0.
    public let digits: String

    /// Reads `30`, `+30` or `0030`; nil for anything else.
    public init?(_ text: String) {
        var digits = Substring(text.filter { !$0.isWhitespace })
        if digits.hasPrefix("+") {
            digits.removeFirst()
        } else if digits.hasPrefix("00") {
            digits.removeFirst(2)
        }
        guard (1...3).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.first != "0" else { return nil }
        self.digits = String(digits)
    }

    public var description: String { "+" + digits }

    /// The prefixes a number dialled within the country starts with, before its national number: 0 in most of
    /// Europe and in Iran; none in Italy (whose numbers keep their 0 abroad); 8 (and now 0) in Lithuania, 8 in Russia.
    var trunkPrefixes: [String] {
        switch digits {
        case "39", "378", "379": []
        case "370": ["8", "0"]
        case "7": ["8"]
        default: ["0"]
        }
    }
}

/// A phone number as its digits, so that "+30 210 123 4567", "0030 2101234567" and, in a Greek shop,
/// "210-1234567" are one number.
///
/// Without the shop's country code, a number written without + or 00 is the same as an international one that
/// ends with it after a country code of one to three digits; with it, it is that country's.
public struct PhoneNumber: Sendable, Hashable {
    /// The digits, without the international prefix (+ or 00) and without a "(0)" written after the country code.
    public let digits: String
    /// Written with + or 00, so its digits start with a country code.
    public let isInternational: Bool

    /// The number in `text`, or nil when it has no digits; digits of any script count (Persian ۰۹۱۲ is 0912).
    /// Anything that is not a digit is ignored, as people write numbers with spaces, dashes, dots and brackets.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var digits = ""
        for scalar in trimmed.replacing("(0)", with: "").unicodeScalars {
            if let value = scalar.properties.numericType == .decimal ? scalar.properties.numericValue : nil { digits += String(Int(value)) }
        }
        guard !digits.isEmpty else { return nil }
        if trimmed.hasPrefix("+") {
            isInternational = true
        } else if digits.hasPrefix("00") {
            isInternational = true
            digits.removeFirst(2)
        } else {
            isInternational = false
        }
        self.digits = digits
    }

    /// A query that is only a number as people write them (digits, spaces, +, dashes, dots, brackets), with at least
    /// `minimumDigits` digits; nil for a query with words in it.
    public init?(typed text: String, minimumDigits: Int) {
        let allowed = Set("+-./() \t\u{00A0}")
        guard text.allSatisfy({ $0.isNumber || allowed.contains($0) }), let number = PhoneNumber(text), number.digits.count >= minimumDigits
        else { return nil }
        self = number
    }

    /// The number within its country, without a trunk prefix: "2101234567" for "+30 210 123 4567" in a Greek shop,
    /// "9123456789" for "0912 345 6789"; nil for another country's number, or an international one when the shop's
    /// country is not known.
    public func national(in country: CountryCode?) -> String? {
        if isInternational {
            guard let country, digits.hasPrefix(country.digits) else { return nil }
            return String(digits.dropFirst(country.digits.count))
        }
        for prefix in country?.trunkPrefixes ?? ["0"] where digits.hasPrefix(prefix) && digits.count > prefix.count + 4 {
            return String(digits.dropFirst(prefix.count))
        }
        return digits
    }

    /// How the number is filed for matching: two numbers are the same when their keys are equal, or when the key of
    /// one is among the guesses of the other.
    ///
    /// With the shop's country code, every number has one key, its international digits. Without it, an
    /// international number's key is "+" and its digits, and its guesses are those digits without a country code
    /// of one, two or three digits; a national number's key is its digits without the trunk 0, and its guess is
    /// that it may be an international number written without its + (at 8 digits or more).
    public func matchKeys(in country: CountryCode?) -> (key: String, guesses: [String]) {
        if let country {
            guard !isInternational else { return (digits, []) }
            let national = national(in: country) ?? digits
            return (country.digits + national, digits.count >= 8 && digits != country.digits + national ? [digits] : [])
        }
        guard isInternational else {
            let national = national(in: nil) ?? digits
            return (national, digits.count >= 8 ? ["+" + digits] : [])
        }
        return ("+" + digits, (1...3).compactMap { digits.count - $0 >= Self.minimumNationalDigits ? String(digits.dropFirst($0)) : nil })
    }

    /// Whether `other` is the same number, by ``matchKeys(in:)``.
    public func isSame(as other: PhoneNumber, in country: CountryCode?) -> Bool {
        let (mine, theirs) = (matchKeys(in: country), other.matchKeys(in: country))
        return mine.key == theirs.key || mine.guesses.contains(theirs.key) || theirs.guesses.contains(mine.key)
    }

    /// The words the search index holds for the number beside it as written, whatever the shop's country code:
    /// its digits whole and, as it may be dialled, without a country code of one to three digits (international)
    /// or without a trunk 0 or 8 (national). A search for any of them, or their start, finds it.
    public var searchWords: [String] {
        var words = [digits]
        if isInternational {
            words += (1...3).compactMap { digits.count - $0 >= Self.minimumNationalDigits ? String(digits.dropFirst($0)) : nil }
        } else if let first = digits.first, first == "0" || first == "8", digits.count > 5 {
            words.append(String(digits.dropFirst()))
        }
        return words
    }

    /// The words to search for when this number is what was typed: among them, one of the ``searchWords`` (or its
    /// start) of every number that is the same. A search finds more than the same number (an international number
    /// is also looked for without a country code of one to three digits): a person reads the results.
    public func searchQueries(in country: CountryCode?) -> [String] {
        var queries = [digits]
        if let national = national(in: country) { queries.append(national) }
        if isInternational {
            queries += (1...3).compactMap { digits.count - $0 >= Self.minimumNationalDigits ? String(digits.dropFirst($0)) : nil }
        } else if let country, let national = national(in: country) {
            queries.append(country.digits + national)
        }
        var seen = Set<String>()
        return queries.filter { seen.insert($0).inserted }
    }

    /// The fewest digits a national number has; what is left of an international number after a guessed country
    /// code must be at least this long to count.
    static let minimumNationalDigits = 6
}
