import Foundation
import Testing

/// The book's file as a shop owner's machine holds it: private to its owner, readable when only readable, and a
/// forgotten customer's promises closed.
@Suite("The book's file")
struct StoreFileTests {
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-file-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func theBookAndTheFolderKeepMadeArePrivate() throws {
        let keep = KeepProcess(storePath: folder + "/shop/books/keep.sqlite")
        #expect(try keep.run("init", "--agent", "Ελένη").status == 0)
        #expect(try keep.run("customer", "add", "Μαρία Παπαδοπούλου").status == 0)
        #expect(try mode(keep.storePath) == 0o600)
        #expect(try mode(folder + "/shop/books") == 0o700)

        // A book an older keep made readable by everyone is made private when keep next opens it.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keep.storePath)
        #expect(try keep.run("today").status == 0)
        #expect(try mode(keep.storePath) == 0o600)
    }

    @Test func aBookThatCanOnlyBeReadIsRead() throws {
        let keep = KeepProcess(storePath: folder + "/keep.sqlite")
        #expect(try keep.run("init", "--agent", "Ελένη").status == 0)
        #expect(try keep.run("customer", "add", "Ona Jonaitienė", "--phone", "+370 612 34567").status == 0)
        #expect(try keep.run("promise", "add", "Ona", "Paskambinti dėl šaldytuvo", "--due", "2025-03-01", "--allow-past").status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: keep.storePath))

        // Another user's book (root ignores file modes, so the test reads it as nobody), or a read-only copy.
        var reader = keep
        reader.environment["HOME"] = "/nonexistent"
        let asNobody = geteuid() == 0
        if !asNobody {
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: keep.storePath)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keep.storePath)
        }
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder) }
        func run(_ arguments: String...) throws -> KeepProcess.Result {
            asNobody
                ? try reader.runProgram("/usr/sbin/runuser", ["-u", "nobody", "--", KeepProcess.executable.path] + arguments)
                : try reader.run(arguments)
        }
        let today = try run("today")
        #expect(today.status == 0, "\(today.stderr)")
        #expect(today.stdout.contains("Paskambinti"), "\(today.stdout)")
        let search = try run("search", "Ona")
        #expect(search.status == 0 && search.stdout.contains("Ona Jonaitienė"), "\(search.stderr)")
        #expect(try run("customer", "list").status == 0)
        let changes = try run("undo", "--list")
        #expect(changes.status == 0 && changes.stdout.contains("added a promise about Ona Jonaitienė"), "\(changes.stderr)")

        let write = try run("customer", "add", "Jonas")
        #expect(write.status == 77, "\(write.stderr)")
        #expect(write.stderr.contains("read-only for you") && write.stderr.contains("chmod u+w"), "\(write.stderr)")
        let undo = try run("undo")
        #expect(undo.status == 77 && undo.stderr.contains("read-only for you"), "\(undo.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: keep.storePath)) == before, "reading changed nothing")
    }

    @Test func forgettingACustomerClosesTheirOpenPromisesAndFollowUps() throws {
        let keep = KeepProcess(storePath: folder + "/keep.sqlite")
        #expect(try keep.run("init", "--agent", "Ελένη").status == 0)
        #expect(try keep.run("customer", "add", "Σπύρος Οικονόμου").status == 0)
        #expect(try keep.run("promise", "add", "Σπύρος", "Επιστροφή χρημάτων", "--due", "2025-03-01", "--allow-past").status == 0)
        #expect(try keep.run("promise", "add", "Σπύρος", "Νέα προσφορά", "--due", "tomorrow").status == 0)
        #expect(try keep.run("followup", "add", "Σπύρος", "Πώς πάει το ψυγείο;", "--in", "3d").status == 0)

        let forgot = try keep.run("customer", "forget", "Σπύρος", "--yes")
        #expect(forgot.status == 0, "\(forgot.stderr)")
        #expect(forgot.stdout.contains("3 open promises and follow-ups cancelled"), "\(forgot.stdout)")
        let promises = try #require(try keep.run("promise", "list", "--json").json() as? [[String: Any]])
        #expect(promises.count == 2 && promises.allSatisfy { $0["status"] as? String == "cancelled" }, "\(promises)")
        let today = try #require(try keep.run("today", "--json").json() as? [String: Any])
        #expect((today["overduePromises"] as? [Any])?.isEmpty == true, "\(today)")
        let followUps = try #require(try keep.run("followup", "list", "--json").json() as? [[String: Any]])
        #expect(followUps.allSatisfy { $0["status"] as? String != "open" }, "\(followUps)")
    }
}
