import Foundation
import KeepCore

@testable import KeepStore

/// The corpus of real customer-service articles, copied from shared/corpus into the test fixtures.
enum Corpus {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/corpus")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    /// The article's paragraphs, as notes a shop might have written.
    static func paragraphs(_ name: String) throws -> [String] {
        try text(name).components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count > 20 }
    }
}

extension ReplicaStore {
    /// Adds a customer and returns its id.
    @discardableResult
    func addCustomer(_ name: String, phone: String? = nil, now: Date = Date()) throws -> RecordID {
        try write(agent: "test", now: now) { writer in
            try writer.create(.customer, Customer.creation(name: name, phone: phone, email: nil, at: now, by: "test"))
        }
    }
}
