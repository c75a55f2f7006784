import Foundation
import Synchronization

/// The one normal form of searchable text, shared by the index and the query, so that case and accents never matter.
public enum SearchText {
    /// Folds text for indexing and for querying: no case, no diacritics, one spelling of Persian letters and digits.
    ///
    /// "Απάντηση", "ΑΠΑΝΤΗΣΗ" and "απαντηση" fold alike; so do "klientų" and "klientu", and "مشتري" (Arabic yeh)
    /// and "مشتری" (Persian yeh).
    public static func fold(_ text: String) -> String {
        // Scalar by scalar from a table where every scalar is in the scripts shops write (Latin, Greek, Cyrillic,
        // Arabic and Persian, punctuation): a sync folds every name and note it stores, and Foundation's
        // normalization through CFString was half the merge's CPU. Other text takes the whole-string way.
        var folded: [UInt8] = []
        folded.reserveCapacity(text.utf8.count)
        // Text runs in one script, so the block of the last scalar is looked up again only when the script changes.
        var block = UInt32.max
        var table: [[UInt8]] = []
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                let byte = UInt8(scalar.value)
                folded.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
                continue
            }
            if scalar.value / 128 != block {
                guard let covering = FoldTable.shared.block(of: scalar) else { return foldWhole(text) }
                (block, table) = (scalar.value / 128, covering)
            }
            folded.append(contentsOf: table[Int(scalar.value % 128)])
        }
        return String(decoding: folded, as: UTF8.self)
    }

    /// Folds `text` as a whole: the definition the table is made from, and the way for scripts outside it.
    static func foldWhole(_ text: String) -> String {
        // Lowercase first: lowercasing "İ" adds a combining dot, which the mark filter below then removes.
        var composed = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            // ۀ decomposes to ە + hamza, but Persian readers see it as ه + hamza.
            composed.append(scalar.value == 0x06C0 ? "\u{0647}" : scalar)
        }
        var folded = String.UnicodeScalarView()
        for scalar in String(composed).decomposedStringWithCanonicalMapping.unicodeScalars {
            guard scalar.properties.generalCategory != .nonspacingMark, !isInvisibleInWord(scalar) else { continue }
            // After decomposition, because ئ decomposes to ي + hamza and that ي must still become ی.
            folded.append(substitute(scalar))
        }
        return String(folded).precomposedStringWithCanonicalMapping
    }

    /// An SQLite FTS5 MATCH expression over folded text that finds every word typed, the last one as a prefix.
    ///
    /// Each word becomes a quoted FTS5 string, so nothing typed can be read as FTS5 syntax. Returns nil when the
    /// query has no letters or digits to search for.
    public static func matchExpression(for query: String) -> String? {
        let words = fold(query).unicodeScalars.split { !isWordScalar($0) }.map { String(String.UnicodeScalarView($0)) }
        guard !words.isEmpty else { return nil }
        let phrases = words.map { "\"" + $0.replacing("\"", with: "\"\"") + "\"" }
        return phrases.joined(separator: " AND ") + " *"
    }

    /// The MATCH expression for `query` as ``matchExpression(for:)`` makes it, and, when the query is a phone number
    /// (5 digits or more, written in any way), any of the digit words that number is indexed by: "2101234567" finds
    /// "+30 210 123 4567", and so does "0030 210 123 4567".
    ///
    /// - Parameter countryCode: the shop's, which says what a number written without one is.
    public static func matchExpression(for query: String, countryCode: CountryCode?) -> String? {
        guard let words = matchExpression(for: query) else { return nil }
        guard let number = PhoneNumber(typed: query, minimumDigits: 5) else { return words }
        return "(\(words)) OR " + number.searchQueries(in: countryCode).map { "\"\($0)\" *" }.joined(separator: " OR ")
    }

    /// Letters, digits and marks; everything else separates words, as it does for SQLite's unicode61 tokenizer.
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .privateUse:
            true
        default:
            false
        }
    }

    /// Invisible characters that sit inside words: dropping them joins the word the reader sees.
    ///
    /// The tokenizer would otherwise split "می‌خواهم" at its ZWNJ, and text pasted from other apps carries
    /// soft hyphens, joiners and direction marks.
    private static func isInvisibleInWord(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00AD,  // soft hyphen
            0x0640,  // Arabic tatweel, which only stretches a word
            0x200C, 0x200D,  // zero width non-joiner and joiner
            0x200E, 0x200F,  // left-to-right and right-to-left marks
            0x202A...0x202E,  // direction embeddings and overrides
            0x2066...0x2069,  // direction isolates
            0xFEFF:  // zero width no-break space
            true
        default:
            false
        }
    }

    /// One spelling for letters and digits that Persian text writes in two ways.
    private static func substitute(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x03C2:  // Greek final sigma ς
            "\u{03C3}"
        case 0x064A, 0x0649:  // Arabic yeh ي and alef maksura ى
            "\u{06CC}"
        case 0x0643:  // Arabic kaf ك
            "\u{06A9}"
        case 0x06F0...0x06F9:  // Persian digits ۰-۹
            Unicode.Scalar(scalar.value - 0x06F0 + 0x30)!
        case 0x0660...0x0669:  // Arabic-Indic digits ٠-٩
            Unicode.Scalar(scalar.value - 0x0660 + 0x30)!
        default:
            scalar
        }
    }
}

/// Each scalar's folded form, made by folding the scalar alone the whole-string way, a block of 128 at first use.
///
/// Folding scalar by scalar gives what folding the whole string gives in these blocks: lowercasing has no context
/// here that the fold keeps (final sigma becomes sigma), and once nonspacing marks are dropped nothing is left that
/// composes with its neighbour.
private final class FoldTable: Sendable {
    static let shared = FoldTable()

    /// The blocks (scalar value / 128) the table covers: Latin-1 to Latin Extended-B, combining marks, Greek and
    /// Cyrillic, Arabic, Latin Extended Additional and Greek Extended, general punctuation.
    private static let coveredBlocks: Set<UInt32> = Set(
        [0x80..<0x250, 0x300..<0x500, 0x600..<0x700, 0x1E00..<0x2080].flatMap { range in
            stride(from: range.lowerBound / 128, through: (range.upperBound - 1) / 128, by: 1)
        }
    )

    private let blocks = Mutex<[UInt32: [[UInt8]]]>([:])

    /// The folded forms, as UTF-8, of the 128 scalars of the block holding `scalar`; nil outside the covered blocks.
    func block(of scalar: Unicode.Scalar) -> [[UInt8]]? {
        let block = scalar.value / 128
        guard Self.coveredBlocks.contains(block) else { return nil }
        return blocks.withLock { blocks in
            if let table = blocks[block] { return table }
            let table = (block * 128..<(block + 1) * 128).map { value in
                Unicode.Scalar(value).map { Array(SearchText.foldWhole(String(Character($0))).utf8) } ?? []
            }
            blocks[block] = table
            return table
        }
    }
}
