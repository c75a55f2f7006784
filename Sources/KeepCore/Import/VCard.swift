import Foundation

/// One card of a vCard file, versions 2.1, 3.0 and 4.0, as phones and mail programs write them.
///
/// Reading works on the file's bytes, not on text: vCard 2.1 lets every value name its own character set, so
/// one file may hold UTF-8, quoted-printable ISO-8859-7 and raw windows-1257 side by side.
public struct VCard: Sendable {
    /// The file's line of its `BEGIN:VCARD`, counting from 1.
    public let line: Int
    /// Its properties in the order written; `BEGIN`, `END` and the lines inside nested cards are left out.
    public var properties: [Property]
    /// False when the file ends before the card's `END:VCARD`.
    public var isComplete: Bool

    /// The properties named `name` (upper case, e.g. `TEL`), in the order written.
    public func all(_ name: String) -> [Property] { properties.filter { $0.name == name } }

    /// The first property named `name`.
    public func first(_ name: String) -> Property? { properties.first { $0.name == name } }

    /// A property such as `TEL;TYPE=CELL:+30 697 000 1111`, its value still as the file encodes it.
    public struct Property: Sendable {
        /// In upper case, without its group: `TEL` for `item1.TEL`.
        public let name: String
        /// Parameter names in upper case with their values; vCard 2.1's bare values (`TEL;CELL;PREF`) are filed
        /// under TYPE, or under ENCODING for an encoding's name (`;QUOTED-PRINTABLE`).
        public let parameters: [String: [String]]
        /// The file's line where the property starts, counting from 1.
        public let line: Int
        /// The value's bytes as written, after unfolding and soft line breaks.
        let value: [UInt8]

        /// The TYPE values in upper case, from every form: `CELL;PREF` (2.1), `TYPE=CELL,VOICE` and `type=cell;type=pref` (3.0),
        /// `TYPE="cell,voice"` (4.0).
        public var types: Set<String> { Set((parameters["TYPE"] ?? []).map { $0.uppercased() }) }

        /// Whether the value is empty or only spaces.
        var isEmpty: Bool { value.allSatisfy { $0 == 0x20 || $0 == 0x09 } }

        /// Marked as the one to use first: `PREF` among the types (2.1, 3.0) or a `PREF` parameter (4.0).
        public var isPreferred: Bool { types.contains("PREF") || parameters["PREF"] != nil }

        /// The value as text with its escapes undone (`\,` `\;` `\n` `\\`).
        public func text() throws(VCardError) -> String { Self.unescape(try decoded()) }

        /// The components of a structured value such as `N` (family; given; additional; prefixes; suffixes), each with
        /// its escapes undone; a component listing several values (`Jonas,Petras`) has them separated by spaces.
        public func components() throws(VCardError) -> [String] {
            var components: [String] = []
            var current = ""
            var escaped = false
            for character in try decoded() {
                if escaped {
                    current += "\\" + String(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == ";" {
                    components.append(current)
                    current = ""
                } else {
                    current.append(character == "," ? " " : character)
                }
            }
            components.append(current + (escaped ? "\\" : ""))
            return components.map { Self.unescape($0).trimmingCharacters(in: .whitespaces) }
        }

        /// The value with its ENCODING and CHARSET undone, escapes still in place.
        func decoded() throws(VCardError) -> String {
            let bytes: [UInt8]
            let encoding = parameters["ENCODING"]?.first?.uppercased()
            switch encoding {
            case nil, "8BIT", "7BIT":
                bytes = value
            case "QUOTED-PRINTABLE":
                bytes = try QuotedPrintable.decode(value, property: self)
            case "BASE64", "B":
                guard let data = Base64.decode(value) else { throw VCardError(self, .brokenBase64) }
                bytes = data
            case let other?:
                throw VCardError(self, .unknownEncoding(other))
            }
            let charset = parameters["CHARSET"]?.first
            let text: String
            if let charset, !TextCharset.isUTF8(charset) {
                guard let known = TextCharset.encoding(named: charset) else { throw VCardError(self, .unknownCharset(charset)) }
                guard let decoded = TextCharset.decode(bytes, as: known) else { throw VCardError(self, .notInCharset(charset)) }
                text = decoded
            } else {
                guard let decoded = String(validating: bytes, as: UTF8.self) else {
                    throw VCardError(self, charset == nil ? .notUTF8 : .notInCharset(charset ?? "UTF-8"))
                }
                text = decoded
            }
            if text.unicodeScalars.contains(where: {
                $0 == "\u{FFFD}" || ($0.properties.generalCategory == .control && !"\t\r\n".unicodeScalars.contains($0))
            }) {
                throw VCardError(self, .notText)
            }
            return text
        }

        /// Undoes the escapes of vCard 3.0 and 4.0 (which vCard 2.1 writers use too): `\,` `\;` `\:` `\n` `\N` `\\`.
        /// A backslash before anything else is kept, as 2.1 values may hold one.
        static func unescape(_ text: String) -> String {
            guard text.contains("\\") else { return text }
            var result = ""
            var escaped = false
            for character in text {
                if escaped {
                    switch character {
                    case "n", "N": result.append("\n")
                    case ",", ";", ":", "\\": result.append(character)
                    default: result += "\\" + String(character)
                    }
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else {
                    result.append(character)
                }
            }
            return escaped ? result + "\\" : result
        }
    }
}

extension VCard {
    /// The cards of a vCard file's bytes.
    ///
    /// Lines end in CRLF, LF or CR. A line starting with a space or a tab continues the one before (folding,
    /// RFC 6350 §3.2); a quoted-printable value ending in `=` continues on the next line whatever it starts with
    /// (a soft line break, as Android writes long names). A leading UTF-8 byte order mark is ignored.
    public static func cards(in bytes: [UInt8]) -> [VCard] {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        var cards: [VCard] = []
        var card: VCard?
        var depth = 0
        for line in logicalLines(bytes[start...]) {
            guard let property = property(line.bytes, line: line.number) else { continue }
            let isCard =
                ["BEGIN", "END"].contains(property.name)
                && String(decoding: property.value, as: UTF8.self).trimmingCharacters(in: .whitespaces).uppercased() == "VCARD"
            if isCard, property.name == "BEGIN" {
                if card == nil {
                    card = VCard(line: line.number, properties: [], isComplete: false)
                } else {
                    depth += 1  // a vCard 2.1 AGENT's card, inside this one
                }
            } else if isCard {
                if depth > 0 {
                    depth -= 1
                } else if var finished = card {
                    finished.isComplete = true
                    cards.append(finished)
                    card = nil
                }
            } else if depth == 0 {
                card?.properties.append(property)
            }
        }
        if let card { cards.append(card) }
        return cards
    }

    /// The file's content lines, unfolded, each with the number of the line it starts on.
    private static func logicalLines(_ bytes: ArraySlice<UInt8>) -> [(bytes: [UInt8], number: Int)] {
        var lines: [(bytes: [UInt8], number: Int)] = []
        var continuesSoftBreak = false
        var number = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            var end = index
            while end < bytes.endIndex, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
            let physical = bytes[index..<end]
            number += 1
            index = end
            if index < bytes.endIndex {
                // CRLF, or a lone CR or LF.
                index += bytes[index] == 0x0D && index + 1 < bytes.endIndex && bytes[index + 1] == 0x0A ? 2 : 1
            }
            if continuesSoftBreak, !lines.isEmpty {
                lines[lines.count - 1].bytes.removeLast()
                lines[lines.count - 1].bytes += physical
            } else if let first = physical.first, first == 0x20 || first == 0x09, !lines.isEmpty {
                lines[lines.count - 1].bytes += physical.dropFirst()
            } else {
                lines.append((Array(physical), number))
            }
            continuesSoftBreak = lines.last.map { $0.bytes.last == UInt8(ascii: "=") && isQuotedPrintable($0.bytes) } ?? false
        }
        return lines
    }

    /// Whether a content line's parameters say its value is quoted-printable.
    private static func isQuotedPrintable(_ line: [UInt8]) -> Bool {
        guard let colon = valueStart(line) else { return false }
        return String(decoding: line[..<colon], as: UTF8.self).uppercased().contains("QUOTED-PRINTABLE")
    }

    /// Where the name and parameters end: the first colon outside double quotes.
    private static func valueStart(_ line: [UInt8]) -> Int? {
        var quoted = false
        for (index, byte) in line.enumerated() {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if byte == UInt8(ascii: ":"), !quoted { return index }
        }
        return nil
    }

    /// A content line `[group.]NAME *(;PARAMETER) : VALUE`, or nil for a line without a colon.
    private static func property(_ line: [UInt8], line number: Int) -> Property? {
        guard let colon = valueStart(line) else { return nil }
        let head = String(decoding: line[..<colon], as: UTF8.self)
        let parts = split(head, at: ";")
        guard let qualified = parts.first?.trimmingCharacters(in: .whitespaces), !qualified.isEmpty else { return nil }
        let name = (qualified.split(separator: ".").last.map(String.init) ?? qualified).uppercased()
        var parameters: [String: [String]] = [:]
        for parameter in parts.dropFirst() {
            let trimmed = parameter.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            if let equals = trimmed.firstIndex(of: "=") {
                let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).uppercased()
                let values = split(String(trimmed[trimmed.index(after: equals)...]), at: ",")
                    .flatMap { split(unquoted($0), at: ",") }
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
                parameters[key, default: []] += values
            } else {
                let bare = trimmed.uppercased()
                let key = ["QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"].contains(bare) ? "ENCODING" : "TYPE"
                parameters[key, default: []].append(bare)
            }
        }
        return Property(name: name, parameters: parameters, line: number, value: Array(line[(colon + 1)...]))
    }

    /// `text` split at `separator` outside double quotes.
    private static func split(_ text: String, at separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == separator, !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    private static func unquoted(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 2, trimmed.hasPrefix("\""), trimmed.hasSuffix("\"") else { return trimmed }
        return String(trimmed.dropFirst().dropLast())
    }
}

/// Why a vCard property's value cannot be read as text, naming the property, its line and the fix.
public struct VCardError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Problem: Sendable, Hashable {
        case brokenQuotedPrintable(String)
        case brokenBase64
        case unknownEncoding(String)
        case unknownCharset(String)
        case notInCharset(String)
        case notUTF8
        case notText
    }

    /// The property's name, e.g. `FN`.
    public let property: String
    /// The file's line where the property starts.
    public let line: Int
    let problem: Problem

    init(_ property: VCard.Property, _ problem: Problem) {
        self.property = property.name
        self.line = property.line
        self.problem = problem
    }

    private static let fix = "export the contacts again, as vCard 3.0 or 4.0 (UTF-8) if the phone offers it, or fix the card by hand"

    public var description: String {
        let what = "\(property) on line \(line)"
        switch problem {
        case .brokenQuotedPrintable(let escape):
            return "\(what) is quoted-printable with a broken escape \"\(escape)\" (a = must be followed by two hex digits): \(Self.fix)"
        case .brokenBase64:
            return "\(what) says ENCODING=BASE64 but is not base64: \(Self.fix)"
        case .unknownEncoding(let encoding):
            return "\(what) is in ENCODING=\(encoding), which keep cannot read (only QUOTED-PRINTABLE, BASE64 and 8BIT): \(Self.fix)"
        case .unknownCharset(let charset):
            return "\(what) is in CHARSET=\(charset), a character set keep cannot read: \(Self.fix)"
        case .notInCharset(let charset):
            return "\(what) is not valid \(charset) text, though it says CHARSET=\(charset): \(Self.fix)"
        case .notUTF8:
            return "\(what) is not UTF-8 and names no CHARSET: \(Self.fix)"
        case .notText:
            return "\(what) holds control characters or undecodable bytes, not text: \(Self.fix)"
        }
    }
}

/// Quoted-printable (RFC 2045 §6.7) as vCard 2.1 uses it; soft line breaks are already joined by the reader.
enum QuotedPrintable {
    static func decode(_ bytes: [UInt8], property: VCard.Property) throws(VCardError) -> [UInt8] {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "=") else {
                decoded.append(byte)
                index += 1
                continue
            }
            guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) else {
                let escape = String(decoding: bytes[index..<min(index + 3, bytes.count)], as: UTF8.self)
                throw VCardError(property, .brokenQuotedPrintable(escape))
            }
            decoded.append(high << 4 | low)
            index += 3
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

/// Base64 as vCards write it: possibly folded, so spaces and tabs inside are ignored; padding may be missing.
enum Base64 {
    static func decode(_ bytes: [UInt8]) -> [UInt8]? {
        var sextets: [UInt8] = []
        sextets.reserveCapacity(bytes.count)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): sextets.append(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): sextets.append(byte - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sextets.append(byte - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "+"): sextets.append(62)
            case UInt8(ascii: "/"): sextets.append(63)
            case UInt8(ascii: "="), 0x20, 0x09: continue
            default: return nil
            }
        }
        guard sextets.count % 4 != 1 else { return nil }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(sextets.count * 3 / 4)
        var index = 0
        while index < sextets.count {
            let chunk = sextets[index..<min(index + 4, sextets.count)].map(UInt32.init)
            var group: UInt32 = 0
            for (offset, sextet) in chunk.enumerated() { group |= sextet << (18 - 6 * offset) }
            for offset in 0..<(chunk.count - 1) { decoded.append(UInt8(truncatingIfNeeded: group >> (16 - 8 * offset))) }
            index += 4
        }
        return decoded
    }
}
