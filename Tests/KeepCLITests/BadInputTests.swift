import Foundation
import GRDB
import KeepStore
import Testing

/// Every bad input gets one clear line, a sysexits status, and changes nothing.
@Suite("keep refuses bad input")
struct BadInputTests {
    let folder: String
    let keep: KeepProcess
    let ref: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-bad-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        keep = KeepProcess(storePath: folder + "/keep.sqlite")
        try keep.run("init", "--agent", "test")
        let added = try keep.run("customer", "add", "Μαρία Παπαδοπούλου", "--json")
        ref = try #require((try added.json() as? [String: Any])?["ref"] as? String)
        try keep.run("customer", "add", "Μαρίνα Ιωάννου")
    }

    /// The store's records and outbox, to prove a refused command changed nothing.
    private func fingerprint() throws -> String {
        let queue = try DatabaseQueue(path: keep.storePath)
        defer { try? queue.close() }
        return try queue.read { db in
            let records = try String.fetchAll(db, sql: "SELECT id || ':' || changeSeq FROM record ORDER BY id")
            let outbox = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0
            let counter = try Int.fetchOne(db, sql: "SELECT counter FROM replica") ?? 0
            return records.joined(separator: ",") + "|\(outbox)|\(counter)"
        }
    }

    /// Runs `arguments`, expecting refusal with `status` and a message containing `words`, and no change to the store.
    private func expectRefusal(_ arguments: [String], status: Int32, mentioning words: String..., input: String = "") throws {
        let before = try fingerprint()
        let result = try keep.run(arguments, input: input)
        #expect(result.status == status, "keep \(arguments.joined(separator: " ")): \(result.stderr)")
        for word in words { #expect(result.stderr.contains(word), "\(result.stderr) should mention \(word)") }
        #expect(result.stdout.isEmpty)
        #expect(try fingerprint() == before, "keep \(arguments.joined(separator: " ")) changed the store")
    }

    @Test func unknownAndAmbiguousReferences() throws {
        try expectRefusal(["note", "add", "Γιάννης", "hello"], status: 65, mentioning: "no customer matches", "keep customer list")
        try expectRefusal(["note", "add", "μαρι", "hello"], status: 65, mentioning: "matches 2 customers", "Μαρίνα Ιωάννου", "Μαρία Παπαδοπούλου")
        try expectRefusal(["promise", "keep", "ffff"], status: 65, mentioning: "no promise")
        try expectRefusal(["promise", "keep", "xy"], status: 64, mentioning: "not a promise id")
        try expectRefusal(["note", "add", "Παπαδοπουλλου", "hello"], status: 65, mentioning: "did you mean \"Μαρία Παπαδοπούλου\"?")
    }

    @Test func mistypedCommandsGetTheNearestOnes() throws {
        try expectRefusal(["todya"], status: 64, mentioning: "keep has no command \"todya\"", "did you mean `keep today`?")
        try expectRefusal(["customer", "shwo", ref], status: 64, mentioning: "did you mean `keep customer show`?")
        try expectRefusal(["frobnicate"], status: 64, mentioning: "see `keep --help`")
    }

    @Test func dueDatesInThePastOrUnreadable() throws {
        try expectRefusal(["promise", "add", ref, "Refund", "--due", "2020-01-01"], status: 64, mentioning: "already passed", "--allow-past")
        try expectRefusal(["promise", "add", ref, "Refund", "--due", "tomorow"], status: 64, mentioning: "tomorow", "tomorrow")
        try expectRefusal(["promise", "add", ref, "Refund"], status: 64, mentioning: "--due")
        try expectRefusal(["followup", "add", ref, "Call", "--in", "ninety"], status: 64, mentioning: "ninety")
    }

    @Test func emptyOrOversizedTexts() throws {
        try expectRefusal(["note", "add", ref, "   "], status: 64, mentioning: "empty")
        try expectRefusal(["note", "add", ref, "-"], status: 64, mentioning: "empty", input: "\n\n")
        try expectRefusal(["customer", "add", ""], status: 64, mentioning: "name cannot be empty")
        try expectRefusal(["note", "add", ref, String(repeating: "α", count: 20_001)], status: 64, mentioning: "at most 20000")
        try expectRefusal(["customer", "add", "X", "--phone", "call me"], status: 64, mentioning: "not a phone number")
        try expectRefusal(["customer", "add", "X", "--email", "nobody"], status: 64, mentioning: "not an email address")
        try expectRefusal(["note", "add", ref, "hi", "--channel", "pigeon"], status: 64, mentioning: "pigeon")
    }

    @Test func aStoreFromANewerVersionIsLeftAlone() throws {
        let queue = try DatabaseQueue(path: keep.storePath)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')") }
        try queue.close()
        try expectRefusal(["customer", "add", "Νέος"], status: 65, mentioning: "newer version of keep", "upgrade")
        try expectRefusal(["today"], status: 65, mentioning: "newer version of keep")
    }

    @Test func aDamagedStoreIsReportedNotRewritten() throws {
        let damaged = folder + "/damaged.sqlite"
        let bytes = Data((0..<16384).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 17) })
        try bytes.write(to: URL(fileURLWithPath: damaged))
        var other = keep
        other.environment["KEEP_STORE"] = damaged
        let result = try other.run("today")
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("keep: "))
        #expect(result.stderr.contains(damaged))
        #expect(try Data(contentsOf: URL(fileURLWithPath: damaged)) == bytes)
    }

    @Test func aMissingStoreSaysToRunInit() throws {
        var other = keep
        other.environment["KEEP_STORE"] = folder + "/nowhere/keep.sqlite"
        let result = try other.run("today")
        #expect(result.status == 66)
        #expect(result.stderr.contains("keep init"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/nowhere"))
    }

    @Test func aLockedStoreIsReportedAfterWaiting() throws {
        var impatient = keep
        impatient.environment["KEEP_LOCK_TIMEOUT"] = "1"
        let queue = try DatabaseQueue(path: keep.storePath)
        var blocked: KeepProcess.Result?
        try queue.inTransaction(.exclusive) { _ in
            blocked = try impatient.run("customer", "add", "Blocked")
            return .rollback
        }
        try queue.close()
        let result = try #require(blocked)
        #expect(result.status == 75)
        #expect(result.stderr.contains("locked"))
        #expect(try keep.run("customer", "list").stdout.contains("Blocked") == false)
    }

    @Test func twoProcessesWritingAtOnceBothSucceed() async throws {
        let keep = self.keep
        let results = try await withThrowingTaskGroup(of: [Int32].self) { group in
            for writer in 0..<2 {
                group.addTask {
                    try (0..<15).map { try keep.run("customer", "add", "Writer \(writer) customer \($0)").status }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(results.count == 30)
        #expect(results.allSatisfy { $0 == 0 })
        let list = try #require(try keep.run("customer", "list", "--json").json() as? [Any])
        #expect(list.count == 32)
    }
}
