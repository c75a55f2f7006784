import Foundation
import KeepCore
import KeepTestSupport
import Testing

@testable import KeepStore

@Suite("Snapshot reads and batched settings")
struct SnapshotReadTests {
    let folder = TemporaryFolder()

    /// A list and the customers it names must agree even while another `keep` adds a customer between the two reads.
    @Test(arguments: [false, true])
    func readsInOneSnapshotDoNotSeeAnotherProgramsWrite(oneConnection: Bool) throws {
        let path = folder.file("keep.sqlite")
        try ReplicaStore.create(at: path, agent: "Ελένη").close()
        let store = try ReplicaStore.open(at: path, oneConnection: oneConnection)
        let otherProgram = try ReplicaStore.open(at: path)
        try otherProgram.addCustomer("Νίκος")
        let (before, after) = try store.snapshot { snapshot in
            let before = try snapshot.customers()
            try otherProgram.addCustomer("Μαρία")
            return (before, try snapshot.customers())
        }
        #expect(before.map(\.name) == ["Νίκος"])
        #expect(after.map(\.name) == ["Νίκος"])
        #expect(try store.customers().count == 2)
    }

    @Test func aSnapshotInsideASnapshotIsTheSameSnapshot() throws {
        let path = folder.file("keep.sqlite")
        let store = try ReplicaStore.create(at: path, agent: "a")
        let otherProgram = try ReplicaStore.open(at: path)
        let count = try store.snapshot { outer in
            _ = try outer.customers()
            try otherProgram.addCustomer("Νίκος")
            return try outer.snapshot { inner in try inner.customers().count }
        }
        #expect(count == 0)
    }

    @Test func severalSettingsAreWrittenTogether() throws {
        let store = try ReplicaStore.create(at: folder.file("keep.sqlite"), agent: "a")
        try store.set([.syncServer: "https://sync.example.com", .syncPin: "ab12", .syncCursor: "7"])
        #expect(try store.setting(.syncServer) == "https://sync.example.com")
        #expect(try store.setting(.syncPin) == "ab12")
        #expect(try store.setting(.syncCursor) == "7")
        #expect(try store.setting(.agent) == "a")
    }
}
