import Foundation
import GRDB
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
    /// Sends every record state this store holds to `other`, as a sync would, and returns what `other` merged.
    @discardableResult
    func sendEverything(to other: ReplicaStore) throws -> MergeReport {
        let ids = try read { db in try String.fetchAll(db, sql: "SELECT id FROM record") }
        return try other.merge(try ids.compactMap(RecordID.init).compactMap { try recordState($0) })
    }

    /// Adds a customer and returns its id.
    @discardableResult
    func addCustomer(_ name: String, phone: String? = nil, now: Date = Date()) throws -> RecordID {
        try write(agent: "test", now: now) { writer in
            try writer.create(.customer, Customer.creation(name: name, phone: phone, email: nil, at: now, by: "test"))
        }
    }
}
