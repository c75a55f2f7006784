import Foundation
import KeepCore
import KeepTestSupport
import Testing

/// The server's store is restored from a backup while it runs: laptops that synced after the backup send
/// back what it lost, and everyone ends where they were before the restore.
@Suite("Restoring a shop from a backup", .serialized)
struct RestoreTests {
    @Test func laptopsThatSyncedAfterTheBackupBringBackWhatTheServerLost() async throws {
        let (server, anna, bob) = try await twoLaptopsOfOneShop()
        let maria = try await anna.must("customer", "add", "Μαρία Παπαδοπούλου", "--phone", "210 000 0000", "--json").json()["id"] as? String ?? ""
        try await anna.must("sync")
        try await bob.must("sync")

        let backup = try await server.admin("backup", "--to", server.data + "/backups", "--all")
        #expect(backup.status == 0, "\(backup.stderr)")
        let backupFolder = try #require(backup.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })

        // After the backup: anna edits and notes; bob receives her edit and overwrites it (his write has seen
        // hers, so it must never turn into a conflict), and adds a customer; anna receives all of it.
        try await anna.must("customer", "edit", maria, "--phone", "210 111 1111")
        try await anna.must("note", "add", "Μαρία", "Ζήτησε κατάλογο με τιμές")
        try await anna.must("sync")
        try await bob.must("sync")
        try await bob.must("customer", "edit", maria, "--phone", "210 222 2222")
        try await bob.must("customer", "add", "Jonas Petraitis", "--email", "jonas@example.lt")
        try await bob.must("sync")
        try await anna.must("sync")
        let serverStore = server.storePath(of: "kafeneio")
        let beforeRestore = try recordStates(in: serverStore)
        #expect(beforeRestore.count == 3)

        let restored = try await server.admin("restore", "--tenant", "kafeneio", "--from", backupFolder)
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(try recordStates(in: serverStore).count == 1, "the server is back at the backup: one customer")

        // anna resends first: her records carry bob's writes, which the restored server has forgotten.
        let resent = try await anna.must("sync")
        #expect(resent.stdout.contains("restored from a backup"), "\(resent.stdout)")
        try await bob.must("sync")
        try await anna.must("sync")

        let after = try recordStates(in: serverStore)
        #expect(after == beforeRestore, "the server holds again everything it had before the restore")
        #expect(try recordStates(in: anna.store) == after)
        #expect(try recordStates(in: bob.store) == after)
        #expect(try conflictKeys(in: anna.store).isEmpty, "no false conflict: bob's phone had seen anna's")
        #expect(after[RecordID(maria)!]?.value(Customer.Field.phone) == .text("210 222 2222"))
        #expect(try await server.admin("check", "--all").status == 0)
        // Once resent, syncing is quiet again.
        let quiet = try await anna.must("sync", "--json").json()
        #expect(quiet["sent"] as? Int == 0)
        #expect(quiet["resentAfterRestore"] as? Bool == false)
    }

    @Test func aDamagedBackupOrAnotherShopsBackupIsRefusedAndChangesNothing() async throws {
        let server = try ServerProcess()
        let anna = try await server.laptop("anna", of: "kafeneio", device: "anna-laptop")
        _ = try await server.enroll(tenant: "bakery", device: "front")
        try await anna.must("customer", "add", "Μαρία Παπαδοπούλου")
        try await anna.must("sync")
        let backup = try await server.admin("backup", "--to", server.data + "/backups", "--all")
        let backupFolder = try #require(backup.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        let store = server.storePath(of: "kafeneio")
        let before = try recordStates(in: store)

        let otherShop = try await server.admin("restore", "--tenant", "kafeneio", "--from", backupFolder + "/bakery.sqlite")
        #expect(otherShop.status != 0)
        #expect(otherShop.stderr.contains("another store"), "\(otherShop.stderr)")

        let damaged = backupFolder + "/kafeneio.sqlite"
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: damaged))
        try handle.seek(toOffset: 4096 + 100)
        handle.write(Data(repeating: 0xA5, count: 4096))
        try handle.close()
        let refused = try await server.admin("restore", "--tenant", "kafeneio", "--from", backupFolder)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("damaged"), "\(refused.stderr)")

        let missing = try await server.admin("restore", "--tenant", "kafeneio", "--from", server.data + "/no-such-backup")
        #expect(missing.status == 66, "\(missing.stderr)")

        #expect(try recordStates(in: store) == before)
        let quiet = try await anna.must("sync", "--json").json()
        #expect(quiet["resentAfterRestore"] as? Bool == false, "a refused restore is not a restore")
    }
}
