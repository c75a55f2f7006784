import Foundation

/// The character sets phones and mail programs name in exported contacts (a vCard's CHARSET), by their IANA names
/// and the aliases they are written with: UTF-8, and the legacy sets of the shops' languages and their neighbours.
enum TextCharset {
    /// Whether `name` means UTF-8.
    static func isUTF8(_ name: String) -> Bool { ["utf-8", "utf8"].contains(normalized(name)) }

    /// The encoding `name` means, or nil for a set this does not know.
    static func encoding(named name: String) -> String.Encoding? {
        let name = normalized(name)
        if let builtIn = builtIn[name] { return builtIn }
        if let core = coreFoundation[name] { return String.Encoding(rawValue: 0x8000_0000 | core) }
        return nil
    }

    /// `bytes` as text in `encoding`, or nil when they are not (or this machine's Foundation cannot convert them).
    static func decode(_ bytes: [UInt8], as encoding: String.Encoding) -> String? {
        if encoding == .utf8 { return String(validating: bytes, as: UTF8.self) }
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        return String(bytes: bytes, encoding: encoding)
    }

    /// Lower case, without quotes, and with the common spellings brought to one: `cp1253`, `x-cp1253`, `win-1253`
    /// and `windows-1253`; `iso8859-7`, `iso_8859-7` and `iso-8859-7`.
    private static func normalized(_ name: String) -> String {
        var name = name.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\""))).lowercased()
        if name.hasPrefix("x-") { name.removeFirst(2) }
        for prefix in ["cp", "win-", "windows", "ms-"] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count).drop { $0 == "-" || $0 == "_" }
            if rest.count == 4, rest.allSatisfy(\.isNumber) { return "windows-" + rest }
        }
        if name.hasPrefix("iso") {
            let rest = name.dropFirst(3).drop { $0 == "-" || $0 == "_" }
            if rest.hasPrefix("8859") { return "iso-8859-" + rest.dropFirst(4).drop { $0 == "-" || $0 == "_" } }
        }
        return name
    }

    private static let builtIn: [String: String.Encoding] = [
        "utf-8": .utf8, "utf8": .utf8, "us-ascii": .ascii, "ascii": .ascii,
        "iso-8859-1": .isoLatin1, "latin1": .isoLatin1, "iso-8859-2": .isoLatin2, "latin2": .isoLatin2,
        "windows-1250": .windowsCP1250, "windows-1251": .windowsCP1251, "windows-1252": .windowsCP1252,
        "windows-1253": .windowsCP1253, "windows-1254": .windowsCP1254,
    ]

    /// CoreFoundation's numbers for the others (CFStringEncodingExt.h); Foundation's encoding is the number with the
    /// high bit set.
    private static let coreFoundation: [String: UInt] = [
        "iso-8859-4": 0x0204,  // Baltic, older Lithuanian phones
        "iso-8859-5": 0x0205,  // Cyrillic
        "iso-8859-6": 0x0206,  // Arabic
        "iso-8859-7": 0x0207,  // Greek
        "greek": 0x0207,
        "iso-8859-9": 0x0209,  // Turkish
        "iso-8859-13": 0x020D,  // Baltic: Lithuanian, Latvian
        "iso-8859-15": 0x020F,  // Western with the euro
        "windows-1255": 0x0505,  // Hebrew
        "windows-1256": 0x0506,  // Arabic and Persian
        "windows-1257": 0x0507,  // Baltic
        "windows-1258": 0x0508,  // Vietnamese
        "koi8-r": 0x0A02,
        "koi8-u": 0x0A08,
    ]
}
