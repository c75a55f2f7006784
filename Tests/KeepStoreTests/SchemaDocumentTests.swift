import Foundation
import KeepCore
import Testing

/// `Sync/SCHEMA.md` and the model's field lists say the same, both ways: every kind and field the document lists
/// is the model's with the same value kind, requirement and version, and every field of the model is documented.
@Suite("The schema document and the model")
struct SchemaDocumentTests {
    let document: SchemaDocument

    init() throws {
        document = try SchemaDocument(Self.text())
    }

    /// One field as the document writes it and as the model has it.
    struct Row: Hashable, CustomStringConvertible {
        let name: String
        let value: String
        let required: Bool
        let since: Int

        init(name: String, value: String, required: Bool, since: Int) {
            (self.name, self.value, self.required, self.since) = (name, value, required, since)
        }

        init(_ field: RecordField) {
            self.init(name: field.name, value: field.value.description, required: field.isRequired, since: field.since)
        }

        var description: String { "\(name) | \(value) | \(required ? "yes" : "no") | \(since)" }
    }

    @Test func theDocumentListsEveryKindWithTheVersionThatAddedIt() {
        #expect(document.kinds == Dictionary(uniqueKeysWithValues: RecordKind.allCases.map { ($0.rawValue, $0.since) }))
        #expect(Set(document.fields.keys) == Set(RecordKind.allCases.map(\.rawValue)))
    }

    @Test(arguments: RecordKind.allCases)
    func eachKindsFieldsAreTheModels(_ kind: RecordKind) {
        let documented = document.fields[kind.rawValue] ?? []
        let model = kind.fields.map(Row.init)
        #expect(documented == model, "SCHEMA.md's \(kind.rawValue) table and \(kind).fields differ")
        for missing in model where !documented.contains(missing) { Issue.record("not documented: \(kind.rawValue) \(missing)") }
        for extra in documented where !model.contains(extra) { Issue.record("not in the model: \(kind.rawValue) \(extra)") }
    }

    @Test func theVersionsTableNamesWhatEachVersionAdded() throws {
        let latest = try #require(document.versions.keys.max())
        #expect(document.title == latest, "the title names schema \(document.title), the versions table goes to \(latest)")
        let fieldsByVersion = RecordKind.allCases.flatMap { kind in
            kind.fields.filter { $0.since > kind.since }.map { ($0.since, "\(kind.rawValue).\($0.name)") }
        }
        for version in document.versions.keys.sorted() where version > 1 {
            let expected = Set(fieldsByVersion.filter { $0.0 == version }.map(\.1))
                .union(RecordKind.allCases.filter { $0.since == version }.map(\.rawValue))
            #expect(document.versions[version] == expected, "schema \(version)")
        }
        let highest = RecordKind.allCases.flatMap(\.fields).map(\.since).max()
        #expect(highest == latest)
    }

    private static func text() throws -> String {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/", !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            folder.deleteLastPathComponent()
        }
        return try String(contentsOf: folder.appendingPathComponent("Sync/SCHEMA.md"), encoding: .utf8)
    }
}

/// What `Sync/SCHEMA.md` states, read from its title and tables.
struct SchemaDocument {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// The version in the title.
    var title = 0
    /// Version → the kinds and `kind.field`s its row of the versions table names in backquotes.
    var versions: [Int: Set<String>] = [:]
    /// Kind → the version that added it.
    var kinds: [String: Int] = [:]
    /// Kind → its fields in the document's order.
    var fields: [String: [SchemaDocumentTests.Row]] = [:]

    init(_ text: String) throws {
        var section = ""
        var kind: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("# ") {
                guard let version = line.split(separator: " ").last.flatMap({ Int($0) }) else { throw Malformed(description: "title: \(line)") }
                title = version
            } else if line.hasPrefix("## ") {
                section = line
                kind = nil
            } else if line.hasPrefix("### ") {
                kind = Self.quoted(line).first
                if let kind { fields[kind] = [] }
            } else if line.hasPrefix("| "), !line.hasPrefix("| ---"), !line.hasPrefix("|---") {
                let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                try read(cells, section: section, kind: kind)
            }
        }
        guard title > 0, !versions.isEmpty, !kinds.isEmpty, !fields.isEmpty else { throw Malformed(description: "SCHEMA.md lacks a table") }
    }

    private mutating func read(_ cells: [String], section: String, kind: String?) throws {
        if section.contains("Versions"), let version = Int(cells[0]) {
            versions[version] = Set(cells.dropFirst().flatMap(Self.quoted))
        } else if section.contains("Kinds"), kind == nil, cells.count == 2, let name = Self.quoted(cells[0]).first, let since = Int(cells[1]) {
            kinds[name] = since
        } else if let kind, cells.count == 5, let name = Self.quoted(cells[0]).first {
            guard ["yes", "no"].contains(cells[2]), let since = Int(cells[3]) else { throw Malformed(description: "\(kind): \(cells)") }
            fields[kind, default: []].append(.init(name: name, value: cells[1], required: cells[2] == "yes", since: since))
        }
    }

    /// The words written in backquotes.
    private static func quoted(_ text: some StringProtocol) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }
}
