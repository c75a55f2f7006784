import Foundation
import GRDB
import KeepCore
import KeepTestSupport
import Testing

@testable import KeepStore

@Suite("Opening and creating stores")
struct StoreOpeningTests {
    let folder = TemporaryFolder()

    @Test func createThenOpenKeepsTheReplicaID() throws {
        let path = folder.file("nested/deeper/keep.sqlite")
        let created = try ReplicaStore.create(at: path, agent: "Ελένη")
        let id = created.replicaID
        try created.close()
        let reopened = try ReplicaStore.open(at: path)
        #expect(reopened.replicaID == id)
        #expect(try reopened.setting(.agent) == "Ελένη")
        #expect(try reopened.setting(.replyWindowHours) == "24")
        let mode = try reopened.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func creatingTwiceRefusesAndKeepsTheFirstStore() throws {
        let path = folder.file("keep.sqlite")
        let first = try ReplicaStore.create(at: path, agent: "a")
        try first.addCustomer("Νίκος")
        let error = #expect(throws: StoreError.self) { try ReplicaStore.create(at: path, agent: "b") }
        #expect(error?.description.contains("already exists") == true)
        #expect(try ReplicaStore.open(at: path).customers().map(\.name) == ["Νίκος"])
    }

    @Test func openingAMissingStoreSaysToRunInit() throws {
        let error = #expect(throws: StoreError.self) { try ReplicaStore.open(at: folder.file("none.sqlite")) }
        #expect(error?.description.contains("keep init") == true)
        #expect(error?.category == .notFound)
        #expect(!FileManager.default.fileExists(atPath: folder.file("none.sqlite")))
    }

    @Test func refusesAnotherProgramsDatabase() throws {
        let path = folder.file("other.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE invoices (id INTEGER PRIMARY KEY)") }
        try queue.close()
        let error = #expect(throws: StoreError.self) { try ReplicaStore.open(at: path) }
        #expect(error?.description.contains("not a Keepword store") == true)
        let tables = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master") }
        #expect(tables == ["invoices"])
    }

    @Test func refusesAFileThatIsNotADatabase() throws {
        let path = folder.file("garbage.sqlite")
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) { try ReplicaStore.open(at: path) }
        #expect(error?.category == .damaged)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    }

    @Test func refusesAStoreWrittenByANewerVersion() throws {
        let path = folder.file("keep.sqlite")
        try ReplicaStore.create(at: path, agent: "a").close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')") }
        try queue.close()
        let error = #expect(throws: StoreError.self) { try ReplicaStore.open(at: path) }
        #expect(error?.description.contains("newer version of keep") == true)
    }

    @Test func storeLocationPrefersFlagThenEnvironmentThenXDG() {
        let environment = ["KEEP_STORE": "/srv/shop.sqlite", "XDG_DATA_HOME": "/home/x/.data", "HOME": "/home/x"]
        #expect(StoreLocation.resolve(explicit: "/tmp/a.sqlite", environment: environment) == "/tmp/a.sqlite")
        #expect(StoreLocation.resolve(explicit: nil, environment: environment) == "/srv/shop.sqlite")
        #expect(StoreLocation.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "/home/x/.data"]) == "/home/x/.data/keepword/keep.sqlite")
        #expect(StoreLocation.resolve(explicit: nil, environment: ["HOME": "/home/y"]) == "/home/y/.local/share/keepword/keep.sqlite")
    }
}
