import Testing

@testable import KeepCLI

@Suite("Text tables")
struct TextTableTests {
    private static let persianName = "مریم رضایی"

    /// Customers as `keep customer list` shows them, in the shop's three languages.
    private func customers() -> TextTable {
        var table = TextTable(columns: [.init("REF"), .init("NAME", flexible: true), .init("PHONE"), .init("OPEN", alignment: .right)])
        table.append(["c1a2", "Αικατερίνη Οικονόμου", "+30 210 123 4567", "3"])
        table.append(["c9f0", "Rūta Žilinskienė", "+370 612 34567", "12"])
        table.append(["c7b3", Self.persianName, "۰۹۱۲ ۳۴۵ ۶۷۸۹", "0"])
        table.append(["c000", "Jonas", "", ""])
        return table
    }

    /// The display column where `needle` starts in `line`.
    private func column(of needle: String, in line: String) throws -> Int {
        let range = try #require(line.firstRange(of: needle))
        return TextWidth.of(String(line[..<range.lowerBound]))
    }

    @Test func linesHaveTheSameWidthBeforeTrimming() {
        let lines = customers().paddedLines()
        #expect(lines.count == 5)
        let widths = Set(lines.map(TextWidth.of))
        #expect(widths == [4 + 2 + 20 + 2 + 16 + 2 + 4])
    }

    @Test func columnsStartAtTheSameDisplayColumnInEveryLanguage() throws {
        let lines = customers().render().split(separator: "\n").map(String.init)
        #expect(try column(of: "PHONE", in: lines[0]) == 28)
        #expect(try column(of: "+30 210", in: lines[1]) == 28)
        #expect(try column(of: "+370 612", in: lines[2]) == 28)
        #expect(try column(of: "۰۹۱۲", in: lines[3]) == 28)
        #expect(try column(of: "Αικατερίνη", in: lines[1]) == 6)
        #expect(try column(of: Self.persianName, in: lines[3]) == 6)
    }

    @Test func rightAlignedCellsHugTheRightEdge() {
        let lines = customers().render().split(separator: "\n").map(String.init)
        #expect(lines[1].hasSuffix("    3"))
        #expect(lines[2].hasSuffix("   12"))
        #expect(lines[0].hasSuffix("  OPEN"))
    }

    @Test func renderedLinesEndInANewlineWithoutTrailingSpaces() {
        let text = customers().render()
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 5)
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
        #expect(lines.last == "c000  Jonas")
    }

    @Test func theHeaderReadsPlainly() {
        #expect(customers().render().hasPrefix("REF   NAME                  PHONE             OPEN\n"))
    }

    // MARK: - Fitting the screen

    /// Notes as `keep note list` shows them, with a long Greek paragraph.
    private func notes() -> TextTable {
        var table = TextTable(columns: [.init("NOTE"), .init("WHEN"), .init("BY"), .init("TEXT", flexible: true)])
        table.append([
            "n4d1", "Tue 24 Nov 17:00", "eleni",
            "Η καλή υποστήριξη πελατών περιλαμβάνει την άμεση απάντηση σε ερωτήσεις και παράπονα πελατών, την εκτέλεση κάθε υπόσχεσης.",
        ])
        table.append(["n4d2", "Tue 24 Nov 17:05", "jonas", "Klientų aptarnavimas: paskambinti po mėnesio."])
        table.append(["n4d3", "Wed 25 Nov 09:00", "maryam", "برای ارتباطات شخصی هیچ جایگزینی وجود ندارد بلکه شخصا با آنها ارتباط برقرار کنید"])
        return table
    }

    @Test func theFlexibleColumnIsCutToEightyColumns() {
        let lines = notes().render(maxWidth: 80).split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { TextWidth.of($0) <= 80 })
        #expect(TextWidth.of(lines[1]) == 80)
        #expect(lines[1].hasSuffix("…"))
        #expect(lines[1].hasPrefix("n4d1  Tue 24 Nov 17:00  eleni   Η καλή υποστήριξη"))
        // Short enough to fit whole.
        #expect(lines[2].hasSuffix("po mėnesio."))
        #expect(notes().paddedLines(maxWidth: 80).allSatisfy { TextWidth.of($0) == 80 })
    }

    @Test func withoutALimitNothingIsCut() {
        let text = notes().render()
        #expect(!text.contains("…"))
        #expect(text.contains("την εκτέλεση κάθε υπόσχεσης."))
    }

    @Test func aCutRightToLeftCellStaysIsolated() {
        let lines = notes().render(maxWidth: 60).split(separator: "\n").map(String.init)
        #expect(lines[3].hasSuffix("…\u{2069}"))
        #expect(lines[3].contains("\u{2068}برای"))
        #expect(TextWidth.of(lines[3]) == 60)
    }

    @Test func theWidestFlexibleColumnShrinksFirst() {
        var table = TextTable(columns: [.init("A", flexible: true), .init("B", flexible: true)])
        table.append([String(repeating: "α", count: 30), String(repeating: "β", count: 10)])
        let lines = table.render(maxWidth: 32).split(separator: "\n").map(String.init)
        #expect(lines[1] == String(repeating: "α", count: 19) + "…  " + String(repeating: "β", count: 10))
        // Once both are equally wide they shrink together.
        let narrower = table.render(maxWidth: 18).split(separator: "\n").map(String.init)
        #expect(narrower[1] == String(repeating: "α", count: 7) + "…  " + String(repeating: "β", count: 7) + "…")
    }

    @Test func flexibleColumnsStopAtAMinimumAndFixedColumnsAreNeverCut() {
        let lines = notes().paddedLines(maxWidth: 20)
        #expect(lines[1].hasPrefix("n4d1  Tue 24 Nov 17:00  eleni   "))
        #expect(lines.allSatisfy { TextWidth.of($0) == 4 + 2 + 16 + 2 + 6 + 2 + TextTable.minimumFlexibleWidth })
    }

    @Test func aColouredCellIsPaddedByWhatShows() {
        var table = TextTable(columns: [.init("STATUS"), .init("WHAT")])
        table.append(["\u{1B}[31m2h late\u{1B}[0m", "call back"])
        table.append(["in 3d", "deliver"])
        let lines = table.paddedLines()
        #expect(Set(lines.map(TextWidth.of)).count == 1)
        #expect(lines[1] == "\u{1B}[31m2h late\u{1B}[0m  call back")
    }

    // MARK: - Right-to-left

    @Test func isolatesWrapOnlyRightToLeftCells() {
        let text = customers().render()
        #expect(text.contains("\u{2068}\(Self.persianName)\u{2069}"))
        #expect(text.filter { $0 == "\u{2068}" }.count == 1)
        #expect(text.filter { $0 == "\u{2069}" }.count == 1)
        // Persian digits are not letters that set a direction.
        #expect(text.contains("  ۰۹۱۲ ۳۴۵ ۶۷۸۹"))
        #expect(!text.contains("\u{2068}Αικατερίνη"))
    }

    @Test(arguments: ["שלום", "مریم", "ܫܠܡܐ", "abc مشتری"])
    func rightToLeftScriptsAreIsolated(_ cell: String) {
        #expect(TextTable.isolatingRightToLeft(cell) == "\u{2068}\(cell)\u{2069}")
    }

    @Test(arguments: ["Αικατερίνη", "Žilinskienė", "中文", "١٢٣", "", "+30 210"])
    func otherCellsAreLeftAlone(_ cell: String) {
        #expect(TextTable.isolatingRightToLeft(cell) == cell)
    }

    // MARK: - Colour and safety

    @Test func noANSIWhenColourIsOff() {
        #expect(!customers().render(maxWidth: 80, boldHeader: false).contains("\u{1B}"))
        #expect(!notes().render(maxWidth: 40).contains("\u{1B}"))
    }

    @Test func aBoldHeaderWhenColourIsOn() {
        let lines = customers().render(boldHeader: true).split(separator: "\n").map(String.init)
        #expect(lines[0] == "\u{1B}[1mREF   NAME                  PHONE             OPEN\u{1B}[0m")
        #expect(lines.dropFirst().allSatisfy { !$0.contains("\u{1B}") })
    }

    @Test func cellsCannotBreakTheGridOrDriveTheTerminal() {
        var table = TextTable(columns: [.init("REF"), .init("TEXT", flexible: true)])
        table.append(["n1", "line one\nline two\tand\r\nmore"])
        table.append(["n2", "title \u{1B}]0;pwned\u{7} clear \u{1B}[2J done"])
        table.append(["n3", "\u{202E}reversed\u{202C} \u{2066}x"])
        let text = table.render()
        #expect(text.split(separator: "\n").count == 4)
        #expect(text.contains("n1   line one line two and more"))
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("\u{7}"))
        #expect(!text.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) || $0.value == 0x2066 })
    }

    @Test func anEmptyTableIsItsHeader() {
        let table = TextTable(columns: [.init("REF"), .init("NAME", flexible: true)])
        #expect(table.render(maxWidth: 80) == "REF  NAME\n")
    }
}
