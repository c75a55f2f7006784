import ArgumentParser
import Foundation
import KeepCore
import KeepProtocol
import KeepStore
import KeepTenancy
import NIOCore
import NIOHTTP1

/// Scenario 2: a fresh laptop pulls a big shop over HTTPS on loopback, `keep sync` from start to exit.
struct FirstSyncBench: Scenario {
    static let configuration = CommandConfiguration(
        commandName: "first-sync",
        abstract: "A fresh laptop's first `keep sync` of a shop of 100,000 records, beside a bare HTTPS pull, a plain download and raw inserts."
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "Records in the shop (customers, notes in Greek and Persian, promises).")
    var records = 100_000

    func validate() throws {
        guard (1...5_000_000).contains(records) else { throw ValidationError("--records must be between 1 and 5,000,000") }
    }

    func measure() async throws -> ScenarioResult {
        try Binaries.check()
        let count = options.smoke ? 500 : records
        let limitRuns = options.runs(full: 3, smoke: 1)
        let folder = Scratch.folder("first-sync")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var result = ScenarioResult(of: self, title: "2. First sync of a big shop", arguments: ["--records", String(count)])

        // The shop's store on the server, written directly: as if its laptops had pushed it all.
        let (dataRoot, slug, administration) = try BenchShops.one("big-shop", name: "Μεγάλο κατάστημα", in: folder)
        var factory = RecordFactory(replica: ReplicaID.random(), corpus: Corpus.load())
        let states = (0..<count).map { _ in factory.next() }
        let built = try Clock.time {
            let store = try ReplicaStore.open(at: dataRoot.storePath(of: slug), migrating: false)
            for start in stride(from: 0, to: states.count, by: 5_000) {
                _ = try store.merge(Array(states[start..<min(start + 5_000, states.count)])) { _, _ in nil }
            }
            try store.close()
        }
        progress(String(format: "built the shop's store of %d records in %.1f s", count, built.seconds))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let rows = try states.map { (id: $0.id.rawValue, kind: $0.kind.rawValue, blob: try encoder.encode($0)) }
        let storeBytes = ReplicaStore.bytesOnDisk(at: dataRoot.storePath(of: slug))

        let server = try ServerProcess(data: dataRoot.path)
        defer { server.stop() }
        let serverStartRSS = server.residentBytes

        // The limits first (they also warm the server): the same pages fetched by a bare client, the same bytes downloaded
        // plainly, the same rows inserted.
        let probe = try administration.addDevice(named: "probe", to: slug)
        let client = try SyncClient(base: server.url, certificatePEM: try server.certificatePEM(), connections: 1)
        var barePull = Samples()
        var jsonBytes = 0
        var wireBytes = 0
        var allBodies = ByteBuffer()
        do {
            for run in 0..<limitRuns {
                let start = Clock.now()
                var cursor: String?
                var pages = 0
                var json = 0
                var wire = 0
                while true {
                    let exchange = try await client.send(.GET, SyncClient.pullPath(cursor: cursor), token: probe.token.text)
                    let body = try exchange.body()
                    guard exchange.status == 200 else { throw BenchFailure("pull answered \(exchange.status)") }
                    let position = try JSONDecoder().decode(PullPosition.self, from: body)
                    pages += 1
                    json += body.count
                    wire += exchange.wire.readableBytes
                    if run == 0 { allBodies.writeBytes(body) }
                    cursor = position.cursor
                    if !position.more { break }
                }
                barePull.append(Double(count) / (Clock.now() - start))
                progress(String(format: "bare pull %d: %.0f ms", run, (Clock.now() - start) * 1000))
                (jsonBytes, wireBytes) = (json, wire)
            }
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()

        var syncRates = Samples()
        var syncSeconds = Samples()
        var clientPeak = Samples()
        var serverPeak = Samples()
        // After the bare pulls: the server has the shop's store open and the file cache is warm, as on a server that runs.
        let budget = options.budget(minimum: 3, maximum: 5, seconds: 150, smoke: 1)
        var run = 0
        while budget.another(after: run) {
            run += 1
            let device = try administration.addDevice(named: "laptop-\(run)", to: slug)
            let laptopFolder = folder + "/laptop-\(run)"
            let laptop = try LaptopProcess.loggedIn(folder: laptopFolder, server: server, token: device.token.text)
            ProcFS.resetPeak(server.pid)
            let sync = try laptop.must(["sync", "--json"], measuringMemory: true)
            let serverHWM = server.peakResidentBytes
            let pulled = (try? JSONSerialization.jsonObject(with: Data(sync.stdout.utf8)) as? [String: Any])?["pulled"] as? Int
            guard pulled == count else { throw BenchFailure("keep sync pulled \(pulled ?? -1) of \(count) records: \(sync.stdout)") }
            try? FileManager.default.removeItem(atPath: laptopFolder)
            progress(
                String(
                    format: "keep sync %d: %.0f ms, client %.0f MB, server %.0f MB",
                    run,
                    sync.seconds * 1000,
                    Format.megabytes(sync.peakRSSBytes),
                    Format.megabytes(serverHWM)
                )
            )
            syncSeconds.append(sync.seconds * 1000)
            syncRates.append(Double(count) / sync.seconds)
            clientPeak.append(Format.megabytes(sync.peakRSSBytes))
            serverPeak.append(Format.megabytes(serverHWM))
        }

        var download = Samples()
        let blobServer = try await TLSBlobServer(
            body: allBodies,
            certificateFile: dataRoot.tlsFolder + "/cert.pem",
            keyFile: dataRoot.tlsFolder + "/key.pem"
        )
        let downloader = try SyncClient(base: "https://127.0.0.1:\(blobServer.port)", certificatePEM: try server.certificatePEM(), connections: 1)
        do {
            for _ in 0..<limitRuns {
                let start = Clock.now()
                let exchange = try await downloader.send(.GET, "/blob", token: nil, upTo: allBodies.readableBytes + 1)
                guard exchange.wire.readableBytes == allBodies.readableBytes else { throw BenchFailure("the download came short") }
                download.append(Double(count) / (Clock.now() - start))
            }
        } catch {
            await downloader.shutdown()
            await blobServer.stop()
            throw error
        }
        await downloader.shutdown()
        await blobServer.stop()

        var inserts = Samples()
        for run in 0..<limitRuns {
            inserts.append(Double(count) / (try PlainInserts.run(path: folder + "/plain-\(run).sqlite", rows: rows)))
            try? FileManager.default.removeItem(atPath: folder + "/plain-\(run).sqlite")
        }

        result.parameters = [
            "shop": "\(count) records (a customer, two notes and a promise in turn; notes and promises in Greek and Persian from the corpus)",
            "server store": String(format: "%.1f MB on disk, written in-process in %.1f s", Format.megabytes(Int(storeBytes)), built.seconds),
            "transfer": String(
                format: "%.1f MB of JSON in %d pull pages, %.1f MB gzip on the wire",
                Format.megabytes(jsonBytes),
                (count + 999) / 1000,
                Format.megabytes(wireBytes)
            ),
            "runs": "keep sync \(budget.describe(syncSeconds.count)), each a new laptop (keep init, keep login) and a new device; "
                + "the limits \(limitRuns) each, first",
            "binaries": Binaries.configuration,
        ]
        result.add("keep sync, whole process", "ms", syncSeconds, target: .atMost(1_500, "< 1,500 ms"))
        result.add("keep sync", "records/s", syncRates)
        result.add("keep sync peak memory (client, /usr/bin/time %M)", "MB", clientPeak, target: .atMost(150, "< 150 MB"))
        result.add("keep-server peak memory during the sync (VmHWM)", "MB", serverPeak)
        result.add("keep-server memory once started, before any sync (VmRSS)", "MB", value: Format.megabytes(serverStartRSS))
        result.add("the same pages pulled by a bare HTTPS client, no merge (server's side + transport)", "records/s", barePull, role: .limit)
        result.add("plain HTTPS download of the same JSON on loopback (NIO + TLS, one GET)", "records/s", download, role: .limit)
        result.add("raw SQLite inserts of the same record blobs, one transaction", "records/s", inserts, role: .limit)
        result.beside(
            "keep sync, whole process",
            String(
                format: "the server's pages to a bare client %.0f ms; the same JSON over TLS %.0f ms; raw inserts of the rows %.0f ms",
                Double(count) / barePull.median * 1000,
                Double(count) / download.median * 1000,
                Double(count) / inserts.median * 1000
            )
        )
        result.beside(
            "keep sync peak memory (client, /usr/bin/time %M)",
            String(format: "the JSON of the whole shop is %.0f MB", Format.megabytes(jsonBytes))
        )
        result.notes = [
            "The figure is `keep sync` as a process, from spawn to exit (wait4), with the laptop's store new and logged in: hello, "
                + "then pull pages of 1,000 until the end, each merged and committed with its cursor.",
            "The client's peak is the maximum resident set of the `keep sync` process as /usr/bin/time reports it (it runs keep "
                + "under it; its own start adds about a millisecond to the time).",
            "The server's peak is VmHWM of the keep-server process, reset (clear_refs) before each sync, so it is that sync's own peak.",
            "The bare pull fetches the same pages with the same headers (gzip) and reads only the cursor: what the server and TLS cost "
                + "without the laptop's merge.",
        ]
        if !result.missedTargets.isEmpty {
            let syncMs = syncSeconds.median
            let serverMs = Double(count) / barePull.median * 1000
            result.bounds.append(
                String(
                    format: "of %.0f ms, about %.0f ms is the server answering the pull pages (the bare pull) and %.0f ms is the laptop "
                        + "decoding and merging them; moving the bytes over TLS alone takes %.0f ms and inserting the rows %.0f ms",
                    syncMs,
                    serverMs,
                    max(0, syncMs - serverMs),
                    Double(count) / download.median * 1000,
                    Double(count) / inserts.median * 1000
                )
            )
        }
        return result
    }
}
