import ArgumentParser
import Foundation
import KeepTenancy

/// Scenario 4a: a thousand shops' devices syncing small changes against one keep-server at once.
struct ManyShopsBench: Scenario {
    static let configuration = CommandConfiguration(
        commandName: "many-shops",
        abstract: "1,000 devices of 1,000 shops making small syncs against one keep-server for a minute, beside a /healthz request rate."
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "Shops, one device each.")
    var shops = 1_000

    @Option(help: "How long the load runs, in seconds.")
    var seconds = 60.0

    @Option(help: "Devices syncing at the same moment (each worker takes its share of the devices in turn).")
    var concurrency = 32

    @Option(help: "The most syncs in the whole run.")
    var maxSyncs = 1_000_000

    func validate() throws {
        guard (1...100_000).contains(shops) else { throw ValidationError("--shops must be between 1 and 100,000") }
        guard seconds > 0 && seconds <= 3_600 else { throw ValidationError("--seconds must be between 0 and 3,600") }
        guard (1...1_024).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 1,024") }
    }

    func measure() async throws -> ScenarioResult {
        try Binaries.check()
        let shops = options.smoke ? 8 : shops
        let seconds = options.smoke ? 2 : seconds
        let concurrency = options.smoke ? 4 : concurrency
        let healthSeconds = options.smoke ? 1 : min(10, seconds)
        let folder = Scratch.folder("many-shops")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var result = ScenarioResult(
            of: self,
            title: "4. Many shops at once",
            arguments: ["--shops", String(shops), "--seconds", String(Int(seconds)), "--concurrency", String(concurrency)]
        )

        let loaded = try LoadedServer(shops: shops, in: folder, connections: concurrency)
        defer { loaded.server.stop() }
        let load = await LoadGenerator.syncs(
            client: loaded.client,
            devices: loaded.made.value,
            concurrency: concurrency,
            seconds: seconds,
            maxSyncs: maxSyncs
        )
        let openStores = await loaded.endOfLoad()
        let health = await LoadGenerator.health(client: loaded.client, concurrency: concurrency, seconds: healthSeconds, maxRequests: 2_000_000)
        await loaded.client.shutdown()
        let peak = loaded.server.peakResidentBytes
        guard load.count > 0 else { throw BenchFailure("no sync succeeded: \(load.firstFailure ?? "")") }
        guard load.failures * 100 <= load.count else {
            throw BenchFailure("\(load.failures) of \(load.count + load.failures) syncs failed: \(load.firstFailure ?? "")")
        }

        let latencies = Samples(load.latencies)
        result.parameters = [
            "shops":
                "\(shops), one device each, made in-process with Administration in \(String(format: "%.1f", loaded.made.value.isEmpty ? 0 : loaded.made.seconds)) s",
            "load": "\(concurrency) devices at a time, closed loop, \(String(format: "%.0f", load.seconds)) s, one AsyncHTTPClient over TLS (pinned) "
                + "in this process, on the same 2 cores as the server",
            "a sync": "GET /v1/hello, POST /v1/push of one or two new customers (durable), GET /v1/pull from the device's cursor",
            "syncs": "\(load.count) (\(load.failures) failed), about \(load.count / max(1, shops)) per device",
            "server":
                "keep-server serve, at most \(TenantPool.defaultCapacity) shop stores open (the default of --open-stores), one connection each, request log at info to a file",
            "binaries": Binaries.configuration,
        ]
        result.add("small syncs per second", "syncs/s", Samples([load.perSecond]), target: .atLeast(2_000, "≥ 2,000 /s"))
        result.add("sync latency p50", "ms", latencies, statistic: .p50, role: .detail)
        result.add("sync latency p99", "ms", latencies, statistic: .p99, target: .atMost(50, "< 50 ms"))
        result.add("GET /healthz per second, same client and concurrency", "requests/s", Samples([health.perSecond]), role: .limit)
        result.add("GET /healthz latency p99", "ms", Samples(health.latencies), statistic: .p99, role: .limit)
        result.beside("small syncs per second", "GET /healthz \(Format.number(health.perSecond, "requests/s")) (a sync is 3 requests)")
        result.beside("sync latency p99", "GET /healthz p99 \(Format.number(Samples(health.latencies).percentile(0.99), "ms"))")
        result.add("server memory during the load, peak (VmHWM)", "MB", value: Format.megabytes(peak), role: .measured)
        result.add("server memory at the end of the load (VmRSS)", "MB", value: Format.megabytes(loaded.sampler.lastRSS))
        result.add("server memory once started (VmRSS)", "MB", value: Format.megabytes(loaded.startRSS))
        result.add("server open files, peak (/proc/PID/fd)", "files", value: Double(loaded.sampler.peakFiles), role: .measured)
        result.add("server open files once started", "files", value: Double(loaded.startFiles))
        if let openStores { result.add("shop stores open at the end (keep_open_tenant_stores)", "stores", value: openStores) }
        result.notes = [
            "Three requests make a sync, so the server answers three times the sync rate. The load generator and the server share the "
                + "machine's two cores; /healthz at the same concurrency shows what the HTTP and TLS path alone reaches here.",
            "With \(TenantPool.defaultCapacity) stores open at most, every one of the 1,000 shops finds its store open "
                + "after its first sync; with fewer (`--open-stores 64`), shops syncing in turn miss on nearly every sync and reopen it.",
        ]
        if !result.missedTargets.isEmpty {
            result.bounds.append(
                String(
                    format: "a sync is 3 requests: %.0f requests/s against %.0f /healthz requests/s on the same path; p50 %.1f ms, p99 %.1f ms "
                        + "with %d syncs in flight",
                    load.perSecond * 3,
                    health.perSecond,
                    latencies.median,
                    latencies.percentile(0.99),
                    concurrency
                )
            )
        }
        return result
    }
}
