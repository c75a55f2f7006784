import Foundation
import GRDB
import KeepCore

/// Every record state in a store file, read directly: what "identical replicas" means.
func recordStates(in path: String) throws -> [RecordID: RecordState] {
    var configuration = Configuration()
    configuration.readonly = true
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    defer { try? queue.close() }
    let blobs = try queue.read { db in try Data.fetchAll(db, sql: "SELECT state FROM record") }
    let decoder = JSONDecoder()
    let states = try blobs.map { try decoder.decode(RecordState.self, from: $0) }
    return Dictionary(uniqueKeysWithValues: states.map { ($0.id, $0) })
}

/// The conflict keys of a store, as `keep conflicts` reports them.
func conflictKeys(in path: String) throws -> [String] {
    try recordStates(in: path).values.flatMap(\.conflicts).map(\.key).sorted()
}
