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

/// A laptop's settings (its server, pin, cursor, shop…) and its token file: what a refused login must leave alone.
func storeSettings(_ path: String) throws -> [String] {
    var configuration = Configuration()
    configuration.readonly = true
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    defer { try? queue.close() }
    let rows = try queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM setting ORDER BY 1") }
    let token = (try? String(contentsOfFile: path + ".token", encoding: .utf8)) ?? ""
    return rows.map(\.description) + ["token " + token]
}
