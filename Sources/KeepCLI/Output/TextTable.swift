/// A table for the terminal: columns aligned by display width, cut to fit the screen, safe for right-to-left names.
///
/// Columns are two spaces apart. When the table is wider than allowed, only flexible columns are cut (the widest
/// first), with "…"; the others never are, because a ref that is cut cannot be typed back.
struct TextTable {
    /// One column: its header, which side its cells hug and whether they may be cut to fit.
    struct Column: Sendable {
        /// Which side of the column a cell hugs.
        enum Alignment: Sendable {
            case left
            case right
        }

        let title: String
        let alignment: Alignment
        /// Whether cells may be cut with "…" when the table is too wide.
        let flexible: Bool

        /// A column titled `title`.
        init(_ title: String, alignment: Alignment = .left, flexible: Bool = false) {
            self.title = title
            self.alignment = alignment
            self.flexible = flexible
        }
    }

    /// A flexible column is never cut narrower than this (or its natural width, when smaller).
    static let minimumFlexibleWidth = 8

    let columns: [Column]
    private(set) var rows: [[String]] = []

    /// An empty table with these columns.
    init(columns: [Column]) {
        self.columns = columns
    }

    /// Adds a row; it must have one cell per column.
    mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "a row of \(row.count) cells for \(columns.count) columns")
        rows.append(row)
    }

    /// The table as text, one line per row after the header, each ending in a newline.
    ///
    /// - Parameters:
    ///   - maxWidth: the widest a line may be, usually the terminal's width; nil for no limit.
    ///   - boldHeader: whether to bold the header with ANSI; pass true only when colour is on.
    func render(maxWidth: Int? = nil, boldHeader: Bool = false) -> String {
        var lines = paddedLines(maxWidth: maxWidth).map(Self.trimmingTrailingSpaces)
        if boldHeader, !lines[0].isEmpty {
            lines[0] = "\u{1B}[1m" + lines[0] + "\u{1B}[0m"
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// Header and rows with every cell padded to its column's width, before trailing spaces are trimmed.
    func paddedLines(maxWidth: Int? = nil) -> [String] {
        let grid = ([columns.map(\.title)] + rows).map { $0.map(Self.oneLine) }
        // Each cell is measured once: a list of thousands of rows spent most of its time measuring.
        let cellWidths = grid.map { $0.map(TextWidth.of) }
        let widths = columnWidths(cellWidths, maxWidth: maxWidth)
        return zip(grid, cellWidths).map { cells, measured in
            zip(zip(cells, measured), zip(columns, widths)).map { cellAndWidth, layout in
                let (column, width) = layout
                let (cell, cellWidth) = cellAndWidth
                let fits = cellWidth <= width
                let cut = fits ? cell : TextWidth.truncate(cell, to: width)
                let padding = String(repeating: " ", count: max(0, width - (fits ? cellWidth : TextWidth.of(cut))))
                let shown = Self.isolatingRightToLeft(cut)
                return column.alignment == .left ? shown + padding : padding + shown
            }
            .joined(separator: "  ")
        }
    }

    /// Natural widths, then the widest flexible columns narrowed one column at a time until the line fits.
    private func columnWidths(_ cellWidths: [[Int]], maxWidth: Int?) -> [Int] {
        var widths = columns.indices.map { column in cellWidths.map { $0[column] }.max() ?? 0 }
        guard let maxWidth else { return widths }
        let floors = widths.map { min($0, Self.minimumFlexibleWidth) }
        var overflow = widths.reduce(0, +) + 2 * max(0, columns.count - 1) - maxWidth
        while overflow > 0 {
            let shrinkable = columns.indices.filter { columns[$0].flexible && widths[$0] > floors[$0] }
            guard let widest = shrinkable.max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
            overflow -= 1
        }
        return widths
    }

    /// A cell is one line of plain text: line breaks and tabs would break the grid, and control characters or
    /// direction overrides from a note could drive the terminal or flip the line. Colour sequences stay.
    static func oneLine(_ cell: String) -> String {
        if cell.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return cell }
        // Nothing to change: no control character, direction control or line separator.
        if cell.unicodeScalars.allSatisfy({ !isUnsafe($0) && $0.value != 0x2028 && $0.value != 0x2029 }) { return cell }
        var clean = ""
        var index = cell.startIndex
        while index < cell.endIndex {
            if let end = TextWidth.escapeSequenceEnd(in: cell, at: index), cell[cell.index(before: end)] == "m" {
                clean += cell[index..<end]
                index = end
                continue
            }
            let character = cell[index]
            index = cell.index(after: index)
            if character.isNewline || character == "\t" {
                clean.append(" ")
                continue
            }
            let kept = character.unicodeScalars.filter { !isUnsafe($0) }
            clean.unicodeScalars.append(contentsOf: kept)
        }
        return clean
    }

    /// Control characters (general category Cc: C0, DEL and C1) and the bidi embeddings, overrides and isolates.
    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Wraps a cell holding right-to-left letters in first-strong isolates, so that the terminal's bidi algorithm
    /// keeps the run inside its own column instead of pulling the neighbouring columns into it.
    static func isolatingRightToLeft(_ cell: String) -> String {
        cell.unicodeScalars.contains(where: isRightToLeftLetter) ? "\u{2068}" + cell + "\u{2069}" : cell
    }

    /// Letters of the Hebrew, Arabic (with Persian), Syriac, Thaana, N'Ko and other right-to-left blocks.
    private static func isRightToLeftLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFC, 0x10800...0x10FFF, 0x1E800...0x1EFFF:
            return scalar.properties.isAlphabetic
        default:
            return false
        }
    }

    private static func trimmingTrailingSpaces(_ line: String) -> String {
        // Spaces are one byte each, and no other character's UTF-8 ends in 0x20.
        let utf8 = line.utf8
        guard utf8.last == UInt8(ascii: " ") else { return line }
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: " ") { end = utf8.index(before: end) }
        return String(line[..<end])
    }
}
