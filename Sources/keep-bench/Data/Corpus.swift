import Foundation

/// Real customer-service text in Greek and Persian (the shared corpus), cut into sentences for note bodies.
struct Corpus: Sendable {
    let sentences: [String]
    /// Where the sentences came from, for the report.
    let source: String

    /// Search words that the generated notes contain, without accents as a shop owner types them.
    static let searchWords = ["εξυπηρετηση", "πελατες", "مشتریان"]

    /// Reads `folder` (or $KEEP_CORPUS, ../shared/corpus from the package, /work/shared/corpus), falling back to a
    /// few built-in sentences when none is there.
    static func load(from folder: String? = nil) -> Corpus {
        let candidates = [folder, ProcessInfo.processInfo.environment["KEEP_CORPUS"], "../shared/corpus", "/work/shared/corpus"]
        for candidate in candidates.compactMap({ $0 }) {
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: candidate)) ?? [])
                .filter { ($0.hasPrefix("el-") || $0.hasPrefix("fa-")) && $0.hasSuffix(".txt") }
                .sorted()
            guard !files.isEmpty else { continue }
            var sentences: [String] = []
            for file in files {
                guard let text = try? String(contentsOfFile: candidate + "/" + file, encoding: .utf8) else { continue }
                sentences += split(text)
            }
            if sentences.count >= 20 { return Corpus(sentences: sentences, source: candidate + " (" + files.joined(separator: ", ") + ")") }
        }
        return Corpus(sentences: fallback, source: "built-in sentences (no corpus folder found)")
    }

    /// Sentences of 20 to 400 characters.
    static func split(_ text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        for character in text {
            if character == "\n" || character == "." || character == "!" || character == "؟" || character == "?" || character == ";" {
                if character != "\n" { current.append(character) }
                let sentence = current.trimmingCharacters(in: .whitespaces)
                if sentence.count >= 20 && sentence.count <= 400 { sentences.append(sentence) }
                current = ""
            } else {
                current.append(character)
            }
        }
        return sentences
    }

    private static let fallback = [
        "Η εξυπηρέτηση πελατών είναι ο τρόπος με τον οποίο οι πελάτες νιώθουν ότι τους ακούμε.",
        "Απαντήστε σε κάθε πελάτη μέσα σε 24 ώρες και κρατήστε κάθε υπόσχεση.",
        "Γράψτε λεπτομερείς σημειώσεις για ό,τι συζητήσατε με τους πελάτες.",
        "برای ارتباطات شخصی هیچ جایگزینی وجود ندارد و مشتریان هنوز اشخاص حقیقی را ترجیح میدهند.",
        "سرعت در پاسخ به مشتریان اهمیت زیادی دارد.",
    ]

    /// Customer names in the shop's languages.
    static let givenNames = ["Μαρία", "Ελένη", "Νίκος", "Γιώργος", "Αικατερίνη", "Δημήτρης", "Σοφία", "مریم", "علی", "زهرا", "رضا"]
    static let familyNames = ["Παπαδοπούλου", "Γεωργίου", "Ιωάννου", "Κωνσταντίνου", "Οικονόμου", "احمدی", "حسینی", "رضایی", "کریمی"]

    /// The `index`-th customer name: a given and a family name and a number, so every name is distinct.
    static func customerName(_ index: Int) -> String {
        "\(givenNames[index % givenNames.count]) \(familyNames[(index / givenNames.count) % familyNames.count]) \(index)"
    }
}
