/// Text laid out in lines of at most a number of terminal columns, broken between words.
enum TextWrap {
    /// `text` in lines of at most `width` columns (as the terminal shows them: wide letters count two). Line breaks
    /// in the text are kept; a word longer than the width is cut where the width ends.
    static func lines(_ text: String, width: Int) -> [String] {
        let width = max(width, 10)
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ") {
                var word = String(word)
                var wordWidth = TextWidth.of(word)
                if lineWidth > 0 && lineWidth + 1 + wordWidth > width {
                    lines.append(line)
                    (line, lineWidth) = ("", 0)
                }
                // The line is empty here: a word wider than a line fills lines of its own.
                while wordWidth > width {
                    var head = ""
                    var used = 0
                    for character in word {
                        guard used + TextWidth.of(character) <= width else { break }
                        head.append(character)
                        used += TextWidth.of(character)
                    }
                    lines.append(head)
                    word = String(word.dropFirst(head.count))
                    wordWidth = TextWidth.of(word)
                }
                line += (lineWidth > 0 ? " " : "") + word
                lineWidth += (lineWidth > 0 ? 1 : 0) + wordWidth
            }
            lines.append(line)
        }
        return lines
    }

    /// Paragraphs of a help page reflowed to `width`: lines of one paragraph are joined and broken again, except
    /// lines that start with spaces (commands, aligned examples), which are kept as written.
    static func reflow(_ page: String, width: Int) -> String {
        var output: [String] = []
        var paragraph: [String] = []
        func flush() {
            if !paragraph.isEmpty { output += lines(paragraph.joined(separator: " "), width: width) }
            paragraph = []
        }
        for line in page.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty || line.hasPrefix("  ") {
                flush()
                output.append(String(line))
            } else {
                paragraph.append(String(line))
            }
        }
        flush()
        return output.joined(separator: "\n")
    }
}
