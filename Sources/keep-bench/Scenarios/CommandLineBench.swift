import ArgumentParser
import Foundation

/// Scenario 5: the everyday commands on a big book, each as a process.
struct CommandLineBench: Scenario {
    static let configuration = CommandConfiguration(
        commandName: "command-line",
        abstract:
            "keep today, keep search and keep promise list --overdue on a book of 100,000 customers and 500,000 notes and promises; keep customer import of 5,000 contacts."
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "Customers in the book.")
    var customers = 100_000

    @Option(help: "Notes in the book (Greek and Persian text from the corpus; one in twenty an inquiry owed a reply).")
    var notes = 250_000

    @Option(help: "Promises in the book (a tenth overdue).")
    var promises = 250_000

    @Option(help: "Contacts in the CSV file that keep customer import reads into a new book (one in three with an e-mail).")
    var contacts = 5_000

    @Option(help: ArgumentHelp("Use this store instead of building one (it is left as it is).", valueName: "path"))
    var store: String?

    func validate() throws {
        guard customers > 0, [notes, promises].allSatisfy({ (0...10_000_000).contains($0) }) else {
            throw ValidationError("give at least one customer, and at most 10,000,000 notes and promises")
        }
        guard (1...1_000_000).contains(contacts) else { throw ValidationError("--contacts must be between 1 and 1,000,000") }
    }

    func measure() throws -> ScenarioResult {
        try Binaries.check()
        let (customers, notes, promises, contacts) = options.smoke ? (200, 500, 500, 200) : (customers, notes, promises, contacts)
        let folder = Scratch.folder("command-line")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var result = ScenarioResult(
            of: self,
            title: "5. The command line on a big book",
            arguments: ["--customers", String(customers), "--notes", String(notes), "--promises", String(promises), "--contacts", String(contacts)]
        )
        let path = store ?? folder + "/keep.sqlite"
        var built = 0.0
        if store == nil {
            built = try Clock.time {
                try Populate.receive(store: path, customers: customers, notes: notes, promises: promises, corpus: Corpus.load())
            }.seconds
        }
        let laptop = LaptopProcess(folder: folder)
        var environment = laptop.environment
        environment["KEEP_STORE"] = path
        let word = Corpus.searchWords[0]
        let commands: [(name: String, arguments: [String])] = [
            ("keep today", ["today"]),
            ("keep search \(word)", ["search", word]),
            ("keep promise list --overdue", ["promise", "list", "--overdue"]),
        ]
        var timings = Array(repeating: Samples(), count: commands.count)
        var lines = Array(repeating: 0, count: commands.count)
        // Interleaved, so that every command sees the same machine; the first round is untimed (a cold file cache).
        let budget = options.budget(minimum: 3, maximum: 15, seconds: 60, smoke: 2)
        var run = 0
        while run == 0 || budget.another(after: run - 1) {
            defer { run += 1 }
            for (index, command) in commands.enumerated() {
                let finished = try ChildProcess.must(Binaries.keep, command.arguments, environment: environment)
                if run == 0 {
                    lines[index] = finished.stdout.split(separator: "\n").count
                } else {
                    timings[index].append(finished.seconds * 1000)
                }
            }
        }
        progress("keep customer import of \(contacts) contacts")
        let importing = ContactImportMeasurement(contacts: contacts, folder: folder)
        let imported = try importing.measure(budget: options.budget(minimum: 3, maximum: 10, seconds: 60, smoke: 1))

        var trivial = Samples()
        var version = Samples()
        let runs = timings[0].count
        for _ in 0..<max(runs, 10) {
            trivial.append(try ChildProcess.must("/bin/true", [], environment: environment).seconds * 1000)
            version.append(try ChildProcess.must(Binaries.keep, ["--version"], environment: environment).seconds * 1000)
        }

        result.parameters = [
            "book": "\(customers) customers, \(notes) notes, \(promises) promises"
                + (store == nil ? String(format: " (another laptop's records, merged in as a sync receives them, in %.0f s)", built) : " (\(path))"),
            "store size": String(format: "%.0f MB", Format.megabytes(Int(fileSize(path) + fileSize(path + "-wal")))),
            "output": commands.indices.map { "\(commands[$0].name): \(lines[$0]) lines" }.joined(separator: "; "),
            "runs": "\(budget.describe(runs)) of each after one untimed round, output to a file; \(imported.imports.count) of the import",
            "import": "\(contacts) contacts in a CSV file (a name, a mobile number, an e-mail for one in three) into a new book each run",
            "binaries": Binaries.configuration,
        ]
        for (index, command) in commands.enumerated() {
            result.add(command.name, "ms", timings[index], target: .atMost(100, "< 100 ms"))
        }
        result.add(importing.name, "ms", imported.imports)
        result.add(importing.limitName, "ms", imported.inserts, role: .limit)
        result.beside(importing.name, "raw inserts of the same records \(Format.number(imported.inserts.median, "ms"))")
        result.add("/bin/true, a trivial process", "ms", trivial, role: .limit)
        result.add("keep --version, keep's own startup", "ms", version, role: .limit)
        for command in commands {
            result.beside(command.name, String(format: "/bin/true %.1f ms, keep --version %.1f ms", trivial.median, version.median))
        }
        result.notes = [
            "Each command runs as a process from spawn to exit with its output (plain text, no terminal) going to a file.",
            "A tenth of the promises are overdue, so `keep promise list --overdue` lists \(promises / 10) of them.",
            "The import runs as a process on a new book (`keep init` untimed), one transaction with the duplicate check by "
                + "dictionaries; the raw inserts write the customer records it makes, their JSON blobs, into a plain table.",
        ]
        if !result.missedTargets.isEmpty {
            let missed = result.missedTargets.map { "\($0.name) \(Format.number($0.value, $0.unit))" }.joined(separator: ", ")
            result.bounds.append(String(format: "%@, against %.1f ms for keep --version", missed, version.median))
        }
        return result
    }

    private func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
