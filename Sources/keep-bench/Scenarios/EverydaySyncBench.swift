import ArgumentParser
import Foundation
import KeepCore
import KeepStore
import KeepTenancy

/// Scenario 3: the sync a shop runs many times a day: nothing to do, or ten changes each way.
struct EverydaySyncBench: Scenario {
    static let configuration = CommandConfiguration(
        commandName: "everyday-sync",
        abstract: "The whole `keep sync` process with nothing to do and with ten changes each way, beside /bin/true and `keep --version`."
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "Customers in the shop's book (it also holds as many promises and twice as many notes).")
    var customers = 2_000

    func validate() throws {
        guard (20...1_000_000).contains(customers) else { throw ValidationError("--customers must be between 20 and 1,000,000") }
    }

    func measure() throws -> ScenarioResult {
        try Binaries.check()
        let customers = options.smoke ? 40 : customers
        let folder = Scratch.folder("everyday")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var result = ScenarioResult(of: self, title: "3. The everyday sync", arguments: ["--customers", String(customers)])

        let (dataRoot, slug, administration) = try BenchShops.one("corner-shop", name: "Καφενείο Αθηνά", in: folder)
        let annaToken = try administration.addDevice(named: "anna-laptop", to: slug).token.text
        let bobToken = try administration.addDevice(named: "bob-laptop", to: slug).token.text
        let server = try ServerProcess(data: dataRoot.path)
        defer { server.stop() }

        let annaFolder = folder + "/anna"
        try FileManager.default.createDirectory(atPath: annaFolder, withIntermediateDirectories: true)
        try Populate.populate(
            store: LaptopProcess(folder: annaFolder).store,
            customers: customers,
            promises: customers,
            notes: customers * 2,
            synced: false,
            corpus: Corpus.load(),
            agent: "anna"
        )
        let anna = try LaptopProcess.loggedIn(folder: annaFolder, server: server, token: annaToken, agent: "anna", initialize: false)
        let bob = try LaptopProcess.loggedIn(folder: folder + "/bob", server: server, token: bobToken, agent: "bob")
        try anna.must(["sync"])
        try bob.must(["sync"])

        let ids = try Self.customerIDs(anna.store)
        var idle = Samples()
        var busy = Samples()
        let idleBudget = options.budget(minimum: 20, maximum: 50, seconds: 40, smoke: 3)
        while idleBudget.another(after: idle.count) {
            let sync = try anna.must(["sync", "--json"])
            try Self.expect(sync, sent: 0, received: 0)
            idle.append(sync.seconds * 1000)
        }
        let busyBudget = options.budget(minimum: 20, maximum: 50, seconds: 60, smoke: 3)
        while busyBudget.another(after: busy.count) {
            let run = busy.count
            // Ten edits on each laptop, of different customers, so no conflict: bob's reach the server first.
            try Self.edit(bob.store, agent: "bob", ids: (0..<10).map { ids[ids.count - 1 - (run * 10 + $0) % (ids.count / 2)] }, run: run)
            try bob.must(["sync"])
            try Self.edit(anna.store, agent: "anna", ids: (0..<10).map { ids[(run * 10 + $0) % (ids.count / 2)] }, run: run)
            let sync = try anna.must(["sync", "--json"])
            try Self.expect(sync, sent: 10, received: 10)
            busy.append(sync.seconds * 1000)
        }

        var trivial = Samples()
        var version = Samples()
        for _ in 0..<max(idle.count, 20) {
            trivial.append(try ChildProcess.must("/bin/true", [], environment: anna.environment).seconds * 1000)
            version.append(try ChildProcess.must(Binaries.keep, ["--version"], environment: anna.environment).seconds * 1000)
        }

        result.parameters = [
            "book": "\(customers) customers, \(customers) promises, \(customers * 2) notes on each of two laptops of one shop",
            "runs": "nothing to do \(idleBudget.describe(idle.count)), ten each way \(busyBudget.describe(busy.count))",
            "binaries": Binaries.configuration,
        ]
        result.add("keep sync, nothing to do (p50)", "ms", idle, statistic: .p50, target: .atMost(50, "< 50 ms"))
        result.add("keep sync, nothing to do (p99)", "ms", idle, statistic: .p99, role: .detail)
        result.add("keep sync, ten changes each way (p50)", "ms", busy, statistic: .p50, target: .atMost(50, "< 50 ms"))
        result.add("keep sync, ten changes each way (p99)", "ms", busy, statistic: .p99, role: .detail)
        result.add("/bin/true, a trivial process (p50)", "ms", trivial, statistic: .p50, role: .limit)
        result.add("keep --version, keep's own startup (p50)", "ms", version, statistic: .p50, role: .limit)
        let startup = String(format: "/bin/true %.1f ms, keep --version %.1f ms", trivial.median, version.median)
        result.beside("keep sync, nothing to do (p50)", startup)
        result.beside("keep sync, ten changes each way (p50)", startup)
        result.notes = [
            "Each figure is the `keep sync` process from spawn to exit: open the store, TLS handshake with the pinned certificate, "
                + "hello, the push (when there is one) and the pull, then exit. The server runs on 127.0.0.1 throughout.",
            "Ten changes each way: bob edits ten customers and syncs (not timed), anna edits ten others and syncs (timed): she sends 10 "
                + "and receives 10.",
        ]
        if !result.missedTargets.isEmpty {
            result.bounds.append(
                String(
                    format: "keep's own startup (keep --version) is %.1f ms of it and a bare process %.1f ms; the rest, %.1f ms with "
                        + "nothing to do, is opening the store, the TLS connection and the hello and pull round trips",
                    version.median,
                    trivial.median,
                    idle.median - version.median
                )
            )
        }
        return result
    }

    static func customerIDs(_ path: String) throws -> [RecordID] {
        let store = try ReplicaStore.open(at: path)
        defer { try? store.close() }
        return try store.customers().map(\.id).sorted()
    }

    /// Edits the phone of each customer in `ids` in one local transaction, as `keep customer edit` would.
    static func edit(_ path: String, agent: String, ids: [RecordID], run: Int) throws {
        let store = try ReplicaStore.open(at: path)
        defer { try? store.close() }
        try store.write(agent: agent) { writer in
            for (index, id) in ids.enumerated() {
                try writer.update(id, kind: .customer, [Customer.Field.phone: .text("+30 210 \(5_000_000 + run * 10 + index)")])
            }
        }
    }

    static func expect(_ sync: Finished, sent: Int, received: Int) throws {
        let summary = (try? JSONSerialization.jsonObject(with: Data(sync.stdout.utf8))) as? [String: Any]
        guard summary?["sent"] as? Int == sent, summary?["received"] as? Int == received else {
            throw BenchFailure("keep sync should have sent \(sent) and received \(received): \(sync.stdout)")
        }
    }
}
