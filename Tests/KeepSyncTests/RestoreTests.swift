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

/// The server's machine is lost: its backups rebuild it (catalog, TLS identity, every shop), and its laptops go on
/// without logging in again, sending what the backup lacks.
@Suite("Rebuilding a lost server from its backups", .serialized)
struct RebuildTests {
    @Test func aLostServerIsRebuiltFromItsBackups() async throws {
        let (server, anna, _) = try await twoLaptopsOfOneShop()
        try await anna.must("customer", "add", "Μαρία Παπαδοπούλου")
        try await anna.must("sync")
        let backups = TemporaryFolder()
        let all = try await server.admin("backup", "--to", backups.path, "--all")
        #expect(all.status == 0 && all.stdout.contains("the catalog and the TLS identity into"), "\(all.stdout)")
        try await anna.must("customer", "add", "Ona Jonaitienė")
        try await anna.must("sync")
        #expect(try await server.admin("backup", "--to", backups.path, "--tenant", "kafeneio").status == 0)
        try await anna.must("customer", "add", "Sepideh Rezaei")
        try await anna.must("sync")

        let listed = try await server.admin("backup", "list", "--in", backups.path)
        #expect(listed.status == 0 && listed.stdout.split(separator: "\n").count == 2, "\(listed.stdout)")
        #expect(listed.stdout.contains("catalog, TLS identity"), "\(listed.stdout)")
        let overLive = try await server.admin("restore", "--catalog", "--latest", "--from", backups.path)
        #expect(overLive.status == 64, "a live catalog is never restored over: \(overLive.stderr)")
        #expect(overLive.stderr.contains("only on a server that lost it"), "\(overLive.stderr)")

        // The machine is lost: catalog, certificate and stores (the laptops' books live elsewhere).
        let url = server.url
        server.stop()
        for lost in ["catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm", "shops", "tls"] {
            try? FileManager.default.removeItem(atPath: server.data + "/" + lost)
        }
        let rebuilt = try await runProcess(
            Executables.keepServer,
            ["restore", "--all", "--latest", "--from", backups.path, "--data", server.data],
            environment: ["PATH": "/usr/bin:/bin", "HOME": server.data]
        )
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(rebuilt.stdout.contains("Restored shop kafeneio"), "\(rebuilt.stdout)")
        let restarted = try ServerProcess(data: server.data, port: Int(url.split(separator: ":").last ?? "") ?? 0)
        #expect(restarted.fingerprint == server.fingerprint, "the laptops' pin still holds")

        // The shop is back at its newest backup (two customers); anna sends the third without logging in again.
        #expect(try recordStates(in: restarted.storePath(of: "kafeneio")).count == 2)
        let synced = try await anna.must("sync")
        #expect(synced.stdout.contains("restored from a backup"), "\(synced.stdout)")
        #expect(try recordStates(in: restarted.storePath(of: "kafeneio")).count == 3)
    }
}
