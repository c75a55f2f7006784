import Foundation
import KeepStore
import KeepTenancy
import KeepTestSupport
import Testing

/// scripts/migrate-all, backup-all and check-all, run as cron runs them: bash, a bare PATH, keep-server named by
/// KEEP_SERVER. Real processes, no network.
@Suite("Operator scripts", .timeLimit(.minutes(5)))
struct OperatorScriptsTests {
    /// A backup folder's name, as `keep-server backup` makes it.
    static var stamp: Regex<Substring> { /[0-9]{8}T[0-9]{6}\.[0-9]{3}Z/ }

    @Test("--help and -h print the usage, every option, the environment and the exit statuses, and exit 0 without keep-server")
    func help() async throws {
        let folder = TemporaryFolder()
        let mentions = [
            "migrate-all": ["--data DIR", "--dry-run", "--jobs N", "KEEP_DATA", "75"],
            "backup-all": ["--to DIR", "--keep N", "--data DIR", "KEEP_DATA", "KEEP_BACKUP_DIR", "74"],
            "check-all": ["--data DIR", "KEEP_DATA", "65"],
        ]
        for (name, options) in mentions {
            for flag in ["--help", "-h"] {
                let result = try await runScript(name, [flag], in: folder.path, keepServer: nil)
                #expect(result.status == 0, "\(name) \(flag): \(result.stderr)")
                #expect(result.stdout.hasPrefix("usage: \(name) "), "\(name) \(flag)")
                for text in options + ["--help", "KEEP_SERVER", "exit status", "64", "69"] {
                    #expect(result.stdout.contains(text), "\(name) \(flag) does not mention \(text)")
                }
                #expect(result.stderr.isEmpty)
            }
        }
    }

    @Test("an unknown option, a missing value, a bad --keep or no --to: one problem and the usage on stderr, exit 64, nothing run")
    func badUsage() async throws {
        let folder = TemporaryFolder()
        let cases: [(name: String, arguments: [String])] = [
            ("migrate-all", ["--bogus"]),
            ("backup-all", ["--to", "backups", "--bogus"]),
            ("check-all", ["--bogus"]),
            ("check-all", ["data"]),
            ("check-all", ["--data"]),
            ("migrate-all", ["--dry-run", "--jobs"]),
            ("backup-all", ["--to", "backups", "--keep", "0"]),
            ("backup-all", ["--to", "backups", "--keep", "many"]),
            ("backup-all", ["--keep", "3"]),
        ]
        for (name, arguments) in cases {
            let result = try await runScript(name, arguments, in: folder.path)
            #expect(result.status == 64, "\(name) \(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("\(name): "), "\(result.stderr)")
            #expect(result.stderr.contains("usage: \(name) "))
        }
        let unknown = try await runScript("migrate-all", ["--bogus"], in: folder.path)
        #expect(unknown.stderr.contains("unknown option: --bogus"))
        let noTarget = try await runScript("backup-all", [], in: folder.path)
        #expect(noTarget.stderr.contains("KEEP_BACKUP_DIR"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "keep-server did not run")
    }

    @Test(
        "migrate-all over shops made by `keep-server tenant create`: --dry-run changes nothing, a run migrates, keep-server's 75 and 64 pass through"
    )
    func migrateAll() async throws {
        let folder = TemporaryFolder()
        try await createShops(["alpha", "beta", "gamma"], in: folder)
        // beta as the first release left it, at schema v1.
        let beta = folder.dataRoot.storePath(of: TenantSlug("beta")!)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: beta + suffix) }
        try FirstSchema.store(at: beta)
        let before = FirstSchema.bytes(beta)
        let latest = SchemaStatus.latestVersion

        let dry = try await runScript("migrate-all", ["--data", "data", "--dry-run", "--jobs", "1"], in: folder.path)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("would apply: v2: audit log"), "\(dry.stdout)")
        #expect(dry.stdout.contains("3 shops: would migrate 1, already at schema v\(latest) 2, failed 0"), "\(dry.stdout)")
        #expect(lastLine(dry.stdout) == "migrate-all: ok, dry run over the shops in data; nothing was changed")
        #expect(FirstSchema.bytes(beta) == before, "a dry run changes nothing")

        let run = try await runScript("migrate-all", ["--jobs=2"], in: folder.path, environment: ["KEEP_DATA": "data"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("3 shops: migrated 1, already at schema v\(latest) 2, failed 0"), "\(run.stdout)")
        #expect(lastLine(run.stdout) == "migrate-all: ok, every shop in data is at keep-server's schema")
        #expect(try ReplicaStore.schemaStatus(at: beta).version == latest)

        // A shop whose store cannot be read: keep-server's 75, and a last line for cron's mail.
        try overwrite(folder.dataRoot.storePath(of: TenantSlug("gamma")!), header: true)
        let failed = try await runScript("migrate-all", ["--data", "data"], in: folder.path)
        #expect(failed.status == 75, "\(failed.stderr)")
        #expect(failed.stdout.contains("gamma") && failed.stdout.contains("FAILED"), "\(failed.stdout)")
        #expect(lastLine(failed.stderr) == "migrate-all: FAILED: keep-server migrate exited 75 for the shops in data; see above")

        let badJobs = try await runScript("migrate-all", ["--data", "data", "--jobs", "0"], in: folder.path)
        #expect(badJobs.status == 64, "keep-server's own refusal passes through")
        #expect(badJobs.stderr.contains("--jobs 0 is out of range"), "\(badJobs.stderr)")
    }

    @Test("check-all: 0 on sound shops; 65 naming the damaged store when the middle of one shop's file is overwritten")
    func checkAll() async throws {
        let folder = TemporaryFolder()
        try await createShops(["alpha", "beta"], in: folder)
        let sound = try await runScript("check-all", ["--data", "data"], in: folder.path)
        #expect(sound.status == 0, "\(sound.stdout)\(sound.stderr)")
        #expect(sound.stdout.contains("3 files checked, 0 with problems"), "\(sound.stdout)")
        #expect(lastLine(sound.stdout) == "check-all: ok, the catalog and every shop's store in data are sound")

        try overwrite(folder.dataRoot.storePath(of: TenantSlug("beta")!), header: false)
        let damaged = try await runScript("check-all", [], in: folder.path, environment: ["KEEP_DATA": "data"])
        #expect(damaged.status == 65, "\(damaged.stdout)\(damaged.stderr)")
        #expect(damaged.stdout.contains("DAMAGED /") && damaged.stdout.contains("/data/shops/beta/store.sqlite"), "\(damaged.stdout)")
        #expect(damaged.stdout.contains("3 files checked, 1 with problems"), "\(damaged.stdout)")
        #expect(lastLine(damaged.stderr)?.hasPrefix("check-all: DAMAGED: keep-server check found problems in data") == true, "\(damaged.stderr)")
    }

    @Test("backup-all: sound copies of every shop; after more runs than --keep, exactly the N newest backups, nothing else touched")
    func backupAllKeepsTheNewest() async throws {
        let folder = TemporaryFolder()
        try await createShops(["alpha", "beta"], in: folder)
        let backups = folder.path + "/backups"
        // What else an operator keeps there: none of it is a backup to rotate.
        let manager = FileManager.default
        try manager.createDirectory(atPath: backups + "/keep-me", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: backups + "/19990101T000000.000Z", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: folder.path + "/elsewhere", withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: URL(fileURLWithPath: backups + "/notes.txt"))
        try Data("mine".utf8).write(to: URL(fileURLWithPath: backups + "/keep-me/readme.txt"))
        try Data("no catalog here".utf8).write(to: URL(fileURLWithPath: backups + "/19990101T000000.000Z/important.txt"))
        try Data("an archive".utf8).write(to: URL(fileURLWithPath: backups + "/20000101T000000.000Z.tar.gz"))
        try Data("a catalog".utf8).write(to: URL(fileURLWithPath: folder.path + "/elsewhere/catalog.sqlite"))
        try manager.createSymbolicLink(atPath: backups + "/20000102T000000.000Z", withDestinationPath: "../elsewhere")
        let others = try snapshot(backups)

        var made: [String] = []
        for run in 1...4 {
            // The third run names the folder with KEEP_BACKUP_DIR instead of --to.
            let arguments = run == 3 ? ["--keep", "2", "--data", "data"] : ["--to", "backups", "--keep=2", "--data", "data"]
            let result = try await runScript(
                "backup-all",
                arguments,
                in: folder.path,
                environment: run == 3 ? ["KEEP_BACKUP_DIR": "backups"] : [:]
            )
            #expect(result.status == 0, "run \(run): \(result.stderr)")
            // A data folder that never served has no TLS identity, and the backup does not claim one.
            #expect(result.stdout.contains("Backed up 2 shops, the catalog into"), "\(result.stdout)")
            let summary = try #require(lastLine(result.stdout))
            let match = try #require(
                summary.wholeMatch(of: /backup-all: ok, backed up into backups\/([^;]+); ([0-9]+) backups kept, ([0-9]+) removed/)
            )
            let name = String(match.1)
            #expect(name.wholeMatch(of: Self.stamp) != nil)
            #expect(!made.contains(name))
            made.append(name)
            #expect(Int(match.2) == min(run, 2))
            #expect(Int(match.3) == (run > 2 ? 1 : 0))
            #expect(try backupFolders(in: backups) == made.suffix(2), "run \(run) keeps the two newest")
        }

        let newest = backups + "/" + made[3]
        #expect(try manager.contentsOfDirectory(atPath: newest).sorted() == ["alpha.sqlite", "beta.sqlite", "catalog.sqlite"])
        for file in ["alpha.sqlite", "beta.sqlite", "catalog.sqlite"] {
            #expect(try ReplicaStore.integrityProblems(at: newest + "/" + file).isEmpty, "\(file) is a sound copy")
        }
        #expect(try snapshot(backups, leavingOut: Set(made)) == others, "nothing but old backups was removed")
        #expect(try manager.destinationOfSymbolicLink(atPath: backups + "/20000102T000000.000Z") == "../elsewhere")
        #expect(manager.fileExists(atPath: folder.path + "/elsewhere/catalog.sqlite"))
    }

    @Test("backup-all when a shop cannot be copied: keep-server's 74 passes through and no old backup is removed")
    func backupAllFailureRemovesNothing() async throws {
        let folder = TemporaryFolder()
        try await createShops(["alpha", "beta"], in: folder)
        let backups = folder.path + "/backups"
        let first = try await runScript("backup-all", ["--to", "backups", "--keep", "1", "--data", "data"], in: folder.path)
        #expect(first.status == 0, "\(first.stderr)")
        let kept = try backupFolders(in: backups)
        try #require(kept.count == 1)

        try overwrite(folder.dataRoot.storePath(of: TenantSlug("beta")!), header: true)
        let failed = try await runScript("backup-all", ["--to", "backups", "--keep", "1", "--data", "data"], in: folder.path)
        #expect(failed.status == 74, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stderr.contains("shop beta was not backed up"), "\(failed.stderr)")
        #expect(lastLine(failed.stderr) == "backup-all: FAILED: keep-server backup exited 74; no old backup was removed; see above")
        let after = try backupFolders(in: backups)
        #expect(after.count == 2, "the earlier backup and the partial new one")
        #expect(after.first == kept.first)
        #expect(FileManager.default.fileExists(atPath: backups + "/" + kept[0] + "/beta.sqlite"))

        let noCatalog = try await runScript("backup-all", ["--to", "backups", "--keep", "1", "--data", "nowhere"], in: folder.path)
        #expect(noCatalog.status == 73, "\(noCatalog.stderr)")
        #expect(try backupFolders(in: backups) == after)
    }

    @Test("backup checks every copy: a damaged store fails it naming the shop, and backup-all never removes a shop's last good copy")
    func backupKeepsTheLastGoodCopy() async throws {
        let folder = TemporaryFolder()
        try await createShops(["alpha", "beta"], in: folder)
        let backups = folder.path + "/backups"
        let arguments = ["--to", "backups", "--keep", "1", "--data", "data"]
        let first = try await runScript("backup-all", arguments, in: folder.path)
        #expect(first.status == 0, "\(first.stderr)")
        let good = try backupFolders(in: backups)
        try #require(good.count == 1)

        try overwrite(folder.dataRoot.storePath(of: TenantSlug("beta")!), header: false)
        let damaged = try await runScript("backup-all", arguments, in: folder.path)
        #expect(damaged.status == 74, "a backup of a damaged store counted as one: \(damaged.stdout)\(damaged.stderr)")
        #expect(damaged.stderr.contains("shop beta was not backed up"), "\(damaged.stderr)")
        let partial = try #require(try backupFolders(in: backups).last)
        #expect(partial != good[0])
        #expect(!FileManager.default.fileExists(atPath: backups + "/" + partial + "/beta.sqlite"), "no damaged copy under a good copy's name")

        // beta's only good copy is in the first backup: a later successful run, once beta is gone, keeps that folder.
        let deleted = try await keepServer(["tenant", "delete", "beta", "--force", "--data", "data"], in: folder.path)
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let later = try await runScript("backup-all", arguments, in: folder.path)
        #expect(later.status == 0, "\(later.stderr)")
        #expect(later.stdout.contains("keeping backups/\(good[0]): it holds the last good copy of beta.sqlite"), "\(later.stdout)")
        let kept = try backupFolders(in: backups)
        #expect(kept.first == good[0] && kept.count == 2 && !kept.contains(partial), "\(kept)")
        #expect(FileManager.default.fileExists(atPath: backups + "/" + good[0] + "/beta.sqlite"))
    }

    @Test("backup-all never removes the backup it just made, even when a clock set back makes it look the oldest")
    func backupAllKeepsItsNewBackup() async throws {
        let folder = TemporaryFolder()
        try await createShops(["alpha"], in: folder)
        let future = folder.path + "/backups/29991231T235959.999Z"
        try FileManager.default.createDirectory(atPath: future, withIntermediateDirectories: true)
        try Data("a catalog".utf8).write(to: URL(fileURLWithPath: future + "/catalog.sqlite"))

        let result = try await runScript("backup-all", ["--to", "backups", "--keep", "1", "--data", "data"], in: folder.path)
        #expect(result.status == 0, "\(result.stderr)")
        let folders = try backupFolders(in: folder.path + "/backups")
        #expect(folders.count == 2, "\(folders)")
        #expect(folders.last == "29991231T235959.999Z")
        #expect(lastLine(result.stdout)?.hasSuffix("; 2 backups kept, 0 removed") == true, "\(result.stdout)")
    }

    @Test("without keep-server on PATH or at KEEP_SERVER: each script says how to point at it, exits 69 and runs nothing")
    func missingKeepServer() async throws {
        let folder = TemporaryFolder()
        let emptyBin = folder.path + "/bin"
        try FileManager.default.createDirectory(atPath: emptyBin, withIntermediateDirectories: true)
        let missing = folder.path + "/no-such/keep-server"
        for name in ["migrate-all", "backup-all", "check-all"] {
            let arguments = ["--data", "data"] + (name == "backup-all" ? ["--to", "backups"] : [])
            let notOnPath = try await runScript(name, arguments, in: folder.path, keepServer: nil, environment: ["PATH": emptyBin])
            #expect(notOnPath.status == 69, "\(name): \(notOnPath.stderr)")
            #expect(notOnPath.stdout.isEmpty)
            #expect(
                notOnPath.stderr
                    == "\(name): keep-server is not on PATH (\(emptyBin)): set KEEP_SERVER=/path/to/keep-server, or add its folder to PATH\n"
            )

            let wrongPath = try await runScript(name, arguments, in: folder.path, keepServer: missing)
            #expect(wrongPath.status == 69, "\(name): \(wrongPath.stderr)")
            #expect(wrongPath.stdout.isEmpty)
            #expect(wrongPath.stderr.hasPrefix("\(name): KEEP_SERVER=\(missing) is not an executable file: point KEEP_SERVER at keep-server"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["bin"], "no data or backup folder was made")
    }
}

// MARK: Helpers

/// The package's root folder, holding scripts/.
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// Runs `bash scripts/NAME ARGUMENTS` in `folder` as cron would, with PATH=/usr/bin:/bin and KEEP_SERVER set to
/// `keepServer` (unset when nil), plus `environment`; stops it and fails after `timeout`.
private func runScript(
    _ name: String,
    _ arguments: [String],
    in folder: String,
    keepServer: String? = Executables.keepServer.path,
    environment: [String: String] = [:],
    timeout: Duration = .seconds(120)
) async throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [packageRoot + "/scripts/" + name] + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    var variables = ["PATH": "/usr/bin:/bin", "HOME": folder]
    variables["KEEP_SERVER"] = keepServer
    process.environment = variables.merging(environment) { $1 }
    // Output goes to files outside `folder`, which the tests inspect, and a full pipe cannot block the script.
    let output = TemporaryFolder()
    let stdoutPath = output.path + "/stdout"
    let stderrPath = output.path + "/stderr"
    FileManager.default.createFile(atPath: stdoutPath, contents: nil)
    FileManager.default.createFile(atPath: stderrPath, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
        guard ContinuousClock.now < deadline else {
            process.terminate()
            throw TestFailure("scripts/\(name) \(arguments) still ran after \(timeout)")
        }
        try await Task.sleep(for: .milliseconds(10))
    }
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    )
}

/// Creates shops in `folder`/data with `keep-server tenant create`.
private func createShops(_ slugs: [String], in folder: TemporaryFolder) async throws {
    try #require(FileManager.default.isExecutableFile(atPath: Executables.keepServer.path), "build keep-server first")
    for slug in slugs {
        let created = try await keepServer(["tenant", "create", slug, "--data", "data"], in: folder.path)
        try #require(created.status == 0, "\(created.stderr)")
    }
}

/// Damages a store: its first 100 bytes, its log removed (then it cannot be opened), or the middle half of the file
/// (then SQLite's integrity check finds it).
private func overwrite(_ path: String, header: Bool) throws {
    if header {
        // A log left by an earlier opening would still hold a sound first page.
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
    var bytes = FirstSchema.bytes(path)
    let range = header ? 0..<100 : bytes.count / 4..<bytes.count * 3 / 4
    bytes.replaceSubrange(range, with: Data(repeating: 0x5A, count: range.count))
    try bytes.write(to: URL(fileURLWithPath: path))
}

/// The backup folders `keep-server backup` made in `path`, oldest first: real folders named by the time.
private func backupFolders(in path: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).filter { name in
        let full = path + "/" + name
        let isLink = (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) != nil
        return name.wholeMatch(of: OperatorScriptsTests.stamp) != nil && !isLink && FileManager.default.fileExists(atPath: full + "/catalog.sqlite")
    }.sorted()
}

/// Every file under `path`, but those in the top-level entries `leavingOut`, with its contents.
private func snapshot(_ path: String, leavingOut: Set<String> = []) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: path)
    while let relative = enumerator?.nextObject() as? String {
        guard let top = relative.split(separator: "/").first, !leavingOut.contains(String(top)) else { continue }
        let full = path + "/" + relative
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue else { continue }
        files[relative] = try Data(contentsOf: URL(fileURLWithPath: full))
    }
    return files
}

/// The last line of some output, without its newline.
private func lastLine(_ text: String) -> String? {
    text.split(separator: "\n").last.map(String.init)
}
