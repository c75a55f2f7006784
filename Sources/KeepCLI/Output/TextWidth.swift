/// How many terminal columns text takes, and how to cut it to fit without breaking a character.
///
/// Widths follow what terminals do: a user-perceived character (grapheme cluster) takes one column, two when it is
/// East Asian wide or an emoji, none when it is only marks or invisible format characters. ANSI colour sequences
/// take none.
enum TextWidth {
    /// The columns `text` takes in a terminal.
    static func of(_ text: String) -> Int {
        // Most cells are printable ASCII: one column per byte, no Unicode tables needed.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        // Then names and notes in Greek, Lithuanian or Persian: letters that each take one column and never join.
        var scalars = 0
        for scalar in text.unicodeScalars {
            guard isPlainNarrowLetter(scalar) else { return measured(text) }
            scalars += 1
        }
        return scalars
    }

    /// The columns of `text`, character by character.
    private static func measured(_ text: String) -> Int {
        var width = 0
        var index = text.startIndex
        while index < text.endIndex {
            if let end = escapeSequenceEnd(in: text, at: index) {
                index = end
                continue
            }
            width += of(text[index])
            index = text.index(after: index)
        }
        return width
    }

    /// The columns one grapheme cluster takes: 0, 1 or 2.
    static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        if scalars.count == 1, let only = scalars.first, isPlainNarrowLetter(only) { return 1 }
        guard let base = scalars.first(where: { !isZeroWidth($0) }) else { return 0 }
        if isWide(base) || base.properties.isEmojiPresentation || isRegionalIndicator(base) {
            return 2
        }
        // A text-style emoji such as ❤ asks for emoji presentation with VS16, and terminals then draw it wide.
        if base.properties.isEmoji, scalars.contains("\u{FE0F}") {
            return 2
        }
        return 1
    }

    /// Letters and digits of the scripts the shops write (Latin, Greek, Cyrillic, Arabic with Persian) that are
    /// known to take one column: answered without Unicode property lookups, which dominate big tables.
    private static func isPlainNarrowLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20..<0x7F, 0xA1..<0xAD, 0xAE..<0x300, 0x370..<0x483, 0x621..<0x64B, 0x660..<0x670, 0x671..<0x6D4, 0x6F0..<0x6FA:
            return true
        default:
            return false
        }
    }

    /// `text` cut to at most `width` columns, ending in "…" when anything was cut; whole grapheme clusters only.
    ///
    /// Colour sequences inside the kept part are kept, and a reset follows the "…" so that a cut cannot leave the
    /// rest of the line coloured.
    /// `text` followed by spaces up to `width` columns (as it is when already that wide).
    static func pad(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - of(text)))
    }

    static func truncate(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        guard width > 0 else { return "" }
        var kept = ""
        var used = 0
        var styled = false
        var index = text.startIndex
        while index < text.endIndex {
            if let end = escapeSequenceEnd(in: text, at: index) {
                kept += text[index..<end]
                styled = true
                index = end
                continue
            }
            let character = text[index]
            let columns = of(character)
            // One column stays free for the "…".
            guard used + columns <= width - 1 else { break }
            kept.append(character)
            used += columns
            index = text.index(after: index)
        }
        // "Order ready…" reads better than "Order ready …".
        while let last = kept.last, last == " " {
            kept.removeLast()
        }
        return kept + "…" + (styled ? "\u{1B}[0m" : "")
    }

    /// The end of the ANSI CSI sequence (ESC [ … final byte) starting at `index`, or nil when none starts there.
    static func escapeSequenceEnd(in text: String, at index: String.Index) -> String.Index? {
        guard text[index] == "\u{1B}" else { return nil }
        var cursor = text.index(after: index)
        guard cursor < text.endIndex, text[cursor] == "[" else { return nil }
        cursor = text.index(after: cursor)
        while cursor < text.endIndex {
            guard let scalar = text[cursor].unicodeScalars.first, text[cursor].unicodeScalars.count == 1 else { return nil }
            cursor = text.index(after: cursor)
            switch scalar.value {
            case 0x40...0x7E: return cursor
            case 0x20...0x3F: continue
            default: return nil
            }
        }
        return nil
    }

    /// Marks, format characters (joiners, direction marks, isolates), controls and Hangul vowel and final jamo that
    /// join the syllable before them.
    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control:
            return true
        default:
            return (0x1160...0x11FF).contains(scalar.value) || (0xD7B0...0xD7FF).contains(scalar.value)
        }
    }

    /// East Asian Wide and Fullwidth, as ranges from Unicode's EastAsianWidth.txt; emoji are found by property instead.
    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return wideRanges.contains { $0.contains(value) }
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F,  // Hangul leading jamo
        0x2329...0x232A,  // angle brackets
        0x2E80...0x303E,  // CJK radicals, Kangxi, CJK symbols and punctuation
        0x3041...0x33FF,  // kana, Bopomofo, Hangul compatibility jamo, enclosed CJK, CJK compatibility
        0x3400...0x4DBF,  // CJK extension A
        0x4E00...0x9FFF,  // CJK unified ideographs
        0xA000...0xA4CF,  // Yi
        0xA960...0xA97F,  // Hangul jamo extended A
        0xAC00...0xD7A3,  // Hangul syllables
        0xF900...0xFAFF,  // CJK compatibility ideographs
        0xFE10...0xFE19,  // vertical forms
        0xFE30...0xFE6F,  // CJK compatibility forms, small forms
        0xFF00...0xFF60,  // fullwidth forms
        0xFFE0...0xFFE6,  // fullwidth signs
        0x16FE0...0x16FE4,  // ideographic symbols
        0x17000...0x18CFF,  // Tangut, Khitan
        0x1B000...0x1B2FF,  // kana supplements, Nushu
        0x1F200...0x1F2FF,  // enclosed ideographic supplement
        0x20000...0x2FFFD,  // CJK extensions B to F
        0x30000...0x3FFFD,  // CJK extensions G and H
    ]

    private static func isRegionalIndicator(_ scalar: Unicode.Scalar) -> Bool {
        (0x1F1E6...0x1F1FF).contains(scalar.value)
    }
}
