import Foundation
import PropertyBased
import Testing

@testable import KeepCore

/// The scalar-by-scalar fold gives exactly what folding the whole string gives.
@Suite("Folding by table")
struct FoldTableTests {
    static let corpus = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../../shared/corpus")

    @Test func theCorpusFoldsAlikeBothWays() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".txt") }
        #expect(files.count >= 3)
        for file in files {
            let text = try String(contentsOf: Self.corpus.appending(path: file), encoding: .utf8)
            for line in text.split(separator: "\n").prefix(400) {
                #expect(SearchText.fold(String(line)) == SearchText.foldWhole(String(line)), "\(file): \(line.prefix(60))")
            }
        }
    }

    /// Letters, marks and punctuation from every covered block, in any order, with ASCII between them.
    static let covered = Gen<Character>.oneOf(
        Gen.ascii.eraseToAnySequence(),
        Gen.character(in: "\u{80}"..."\u{24F}").eraseToAnySequence(),
        Gen.character(in: "\u{300}"..."\u{4FF}").eraseToAnySequence(),
        Gen.character(in: "\u{600}"..."\u{6FF}").eraseToAnySequence(),
        Gen.character(in: "\u{1E00}"..."\u{207F}").eraseToAnySequence()
    )
    .string(of: 0...24)

    @Test func anyTextOfTheCoveredScriptsFoldsAlikeBothWays() async {
        await propertyCheck(count: 2_000, input: Self.covered) { text in
            #expect(SearchText.fold(text) == SearchText.foldWhole(text))
        }
    }

    @Test func textOutsideTheTableStillFolds() {
        #expect(SearchText.fold("한국어 Ünïcode") == SearchText.foldWhole("한국어 Ünïcode"))
        #expect(SearchText.fold("ÉCOLE 中文") == "ecole 中文")
    }
}
