import ArgumentParser
import Foundation
import KeepCore
import KeepTenancy

/// Scenario 4b: a server with 10,000 shop stores on disk, each shop syncing once: memory and open files stay bounded.
struct TenantsOnDiskBench: Scenario {
    static let configuration = CommandConfiguration(
        commandName: "tenants-on-disk",
        abstract: "A keep-server with 10,000 shop stores on disk, a small sync for every shop: its memory and open files."
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "Shops on disk, one device each; every one syncs once.")
    var shops = 10_000

    @Option(help: "Devices syncing at the same moment.")
    var concurrency = 32

    @Option(help: "The most seconds the syncs may take.")
    var seconds = 180.0

    func validate() throws {
        guard (1...100_000).contains(shops) else { throw ValidationError("--shops must be between 1 and 100,000") }
        guard (1...1_024).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 1,024") }
        guard seconds > 0 && seconds <= 3_600 else { throw ValidationError("--seconds must be between 0 and 3,600") }
    }

    func measure() async throws -> ScenarioResult {
        try Binaries.check()
        let shops = options.smoke ? 80 : shops
        let concurrency = options.smoke ? 4 : concurrency
        let folder = Scratch.folder("tenants-on-disk")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var result = ScenarioResult(
            of: self,
            title: "4. Many shops at once: \(shops) shop stores on disk",
            arguments: ["--shops", String(shops), "--concurrency", String(concurrency)]
        )

        let loaded = try LoadedServer(shops: shops, in: folder, workers: 8, connections: concurrency)
        defer { loaded.server.stop() }
        // Shuffled, so shops come in no particular order and every store is opened once at least.
        var generator = SplitMix64(seed: 11)
        let load = await LoadGenerator.syncs(
            client: loaded.client,
            devices: loaded.made.value.shuffled(using: &generator),
            concurrency: concurrency,
            seconds: seconds,
            maxSyncs: shops * 2,
            perDevice: 1
        )
        let openStores = await loaded.endOfLoad()
        await loaded.client.shutdown()
        let peak = loaded.server.peakResidentBytes
        guard load.count > 0, load.failures * 100 <= load.count else {
            throw BenchFailure("\(load.failures) of \(load.count + load.failures) syncs failed: \(load.firstFailure ?? "")")
        }

        result.parameters = [
            "shops": "\(shops) on disk, one device each, made in-process with Administration in \(String(format: "%.0f", loaded.made.seconds)) s",
            "load": "every shop's device syncs once (hello, push of one or two customers, pull), \(concurrency) at a time, shuffled",
            "syncs": "\(load.count) of \(shops) in \(String(format: "%.1f", load.seconds)) s (\(load.failures) failed)",
            "server": "keep-server serve, at most \(TenantPool.defaultCapacity) shop stores open (the default of --open-stores)",
            "binaries": Binaries.configuration,
        ]
        // A store open on one connection holds its database, its write-ahead log and the log's shared memory.
        let filesBound = 3 * TenantPool.defaultCapacity + 100
        result.add("server memory, peak (VmHWM)", "MB", value: Format.megabytes(peak), role: .measured, target: .atMost(500, "< 500 MB"))
        result.add("server memory at the end (VmRSS)", "MB", value: Format.megabytes(loaded.sampler.lastRSS))
        result.add("server memory once started (VmRSS)", "MB", value: Format.megabytes(loaded.startRSS), role: .limit)
        result.add(
            "server open files, peak (/proc/PID/fd, sampled every 100 ms)",
            "files",
            value: Double(loaded.sampler.peakFiles),
            role: .measured,
            target: .atMost(Double(filesBound), "≤ \(filesBound) (3 per open store, at most \(TenantPool.defaultCapacity), and 100)")
        )
        result.add("server open files once started", "files", value: Double(loaded.startFiles), role: .limit)
        result.add("server open files at the end", "files", value: Double(loaded.sampler.lastFiles))
        if let openStores { result.add("shop stores open at the end (keep_open_tenant_stores)", "stores", value: openStores) }
        result.beside("server memory, peak (VmHWM)", String(format: "%.0f MB once started", Format.megabytes(loaded.startRSS)))
        result.beside("server open files, peak (/proc/PID/fd, sampled every 100 ms)", "\(loaded.startFiles) once started")
        result.add("syncs per second, each opening a store", "syncs/s", Samples([load.perSecond]), role: .detail)
        result.add("sync latency p99", "ms", Samples(load.latencies), statistic: .p99, role: .detail)
        result.notes = [
            "Every sync needs its shop's store; with \(shops) shops and at most \(TenantPool.defaultCapacity) open, the pool closes the least recently used "
                + "store for each one it opens, so memory and files track the pool's bound, not the number of shops.",
            "The limits here are the server's own resting figures: memory and open files once started, before any request.",
        ]
        if !result.missedTargets.isEmpty {
            result.bounds.append(
                String(
                    format: "peak %.0f MB and %d files against %.0f MB and %d files at rest",
                    Format.megabytes(peak),
                    loaded.sampler.peakFiles,
                    Format.megabytes(loaded.startRSS),
                    loaded.startFiles
                )
            )
        }
        return result
    }
}
