import ArgumentParser
import Foundation
import KeepCore
import KeepTenancy
import NIOHTTP1

/// Scenario 6: what a quiet shop feels while one client attacks the server (Sync/TESTING.md §5), beside the same
/// calls with nothing else on.
struct HostileBench: Scenario {
    static let configuration = CommandConfiguration(
        commandName: "hostile",
        abstract:
            "A quiet shop's /healthz and sync while idle connections, a slowloris, held bodies or a flooding shop are on, beside the same calls unloaded."
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "Timed calls of each kind in each phase.")
    var samples = 40

    func validate() throws {
        guard (1...1_000).contains(samples) else { throw ValidationError("--samples must be between 1 and 1,000") }
    }

    /// How big each attack is: Sync/TESTING.md §5's sizes, or tiny ones for --smoke.
    private struct Sizes {
        var idle = 2_000
        var slow = 1_000
        var heldBodies = 64
        var heldMiB = 15
        var floodDevices = 4
        var floodInFlight = 24
        var floodRecords = 1_000
        var floodRecordBytes = 4_000

        static let smoke = Sizes(
            idle: 20,
            slow: 10,
            heldBodies: 4,
            heldMiB: 1,
            floodDevices: 2,
            floodInFlight: 4,
            floodRecords: 20,
            floodRecordBytes: 400
        )
    }

    /// What a phase saw of the quiet shop and the server.
    private struct Phase {
        let health: LoadOutcome
        let sync: LoadOutcome
        let peakRSS: Int
    }

    func measure() async throws -> ScenarioResult {
        try Binaries.check()
        let sizes = options.smoke ? Sizes.smoke : Sizes()
        let samples = options.smoke ? 3 : samples
        let folder = Scratch.folder("hostile")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var result = ScenarioResult(of: self, title: "6. Hostile clients", arguments: ["--samples", String(samples)])

        let shops = try HostileShops(in: folder, floodDevices: sizes.floodDevices)
        let server = try ServerProcess(data: shops.dataRoot.path)
        defer { server.stop() }
        let pem = try server.certificatePEM()
        guard let port = URL(string: server.url)?.port else { throw BenchFailure("no port in \(server.url)") }
        var quiet = shops.quiet
        let startRSS = server.residentBytes

        progress("unloaded")
        let unloaded = try await phase(server, pem: pem, quiet: &quiet, samples: samples)

        progress("\(sizes.idle) idle and \(sizes.slow) slowloris connections")
        let silent = try SilentConnections(port: port, idle: sizes.idle, slow: sizes.slow)
        try await Task.sleep(for: .seconds(1))
        let underSilence = try await phase(server, pem: pem, quiet: &quiet, samples: samples)
        let filesUnderSilence = server.openFiles
        silent.close()

        progress("\(sizes.heldBodies) held bodies of one device")
        let beforeHeld = server.residentBytes
        let held = HeldBodies(
            count: sizes.heldBodies,
            url: server.url,
            token: shops.holder,
            declared: (sizes.heldMiB + 1) << 20,
            sent: sizes.heldMiB << 20
        )
        // Against a hang only: all but the two a device may send are refused at once, and those two arrive in seconds.
        await held.waitForRefusals(sizes.heldBodies - 2, seconds: 60)
        try await Task.sleep(for: .seconds(2))
        let underHeld = try await phase(server, pem: pem, quiet: &quiet, samples: samples)
        let heldGrowth = server.residentBytes - beforeHeld
        let heldRefused = held.refused
        await held.stop()

        progress("a flooding shop: \(sizes.floodDevices) laptops, \(sizes.floodInFlight) pushes of \(sizes.floodRecords) records in flight")
        let bodies = try Flood.bodies(
            tokens: shops.flooders,
            perDevice: 2,
            records: sizes.floodRecords,
            bytesEach: sizes.floodRecordBytes
        )
        let flood = Flood(url: server.url, bodies: bodies, inFlight: sizes.floodInFlight, maxPushes: 2_000)
        try await Task.sleep(for: .seconds(1))
        let underFlood = try await phase(server, pem: pem, quiet: &quiet, samples: samples)
        let flooded = await flood.stop()

        let phases = [
            ("unloaded", unloaded),
            ("\(sizes.idle) idle + \(sizes.slow) slowloris connections", underSilence),
            ("\(sizes.heldBodies) held bodies", underHeld),
            ("a flooding shop", underFlood),
        ]
        for (name, phase) in phases {
            guard phase.health.count > 0, phase.sync.count > 0 else {
                throw BenchFailure("\(name): no call succeeded: \(phase.health.firstFailure ?? phase.sync.firstFailure ?? "")")
            }
            let role: Figure.Role = name == "unloaded" ? .limit : .measured
            result.add("\(name): GET /healthz, new connection, p50", "ms", Samples(phase.health.latencies), statistic: .p50, role: role)
            result.add("\(name): GET /healthz, new connection, p99", "ms", Samples(phase.health.latencies), statistic: .p99, role: .detail)
            result.add("\(name): another shop's sync, p50", "ms", Samples(phase.sync.latencies), statistic: .p50, role: role)
            result.add("\(name): another shop's sync, p99", "ms", Samples(phase.sync.latencies), statistic: .p99, role: .detail)
            let failed = phase.health.failures + phase.sync.failures
            if failed > 0 { result.add("\(name): calls that failed", "calls", value: Double(failed)) }
            result.add("\(name): server memory, peak (VmHWM)", "MB", value: Format.megabytes(phase.peakRSS))
            if name != "unloaded" {
                result.beside(
                    "\(name): another shop's sync, p50",
                    "unloaded \(Format.number(Samples(unloaded.sync.latencies).median, "ms"))"
                )
            }
        }
        result.add("held bodies refused at once", "bodies", value: Double(heldRefused))
        result.add("server memory grown by the held bodies", "MB", value: Format.megabytes(max(0, heldGrowth)))
        result.add("server open files with the silent connections on", "files", value: Double(filesUnderSilence))
        result.add("flooding pushes merged", "pushes", value: Double(flooded.merged.count))
        result.add("flooding pushes refused (429/413/503)", "pushes", value: Double(flooded.refused))
        if !flooded.merged.isEmpty {
            result.add("a merged flooding push, p50", "ms", Samples(flooded.merged), statistic: .p50, role: .detail)
        }
        result.add("server memory once started (VmRSS)", "MB", value: Format.megabytes(startRSS))
        result.parameters = [
            "server": "keep-server serve with its default limits (Sync/PROTOCOL.md §6), request log at info to a file",
            "a sync": "the quiet shop's GET /v1/hello, POST /v1/push of one or two new customers (durable), GET /v1/pull, "
                + "each call on a new TLS connection (pinned), as a new `keep sync` process makes them",
            "calls": "\(samples) of each kind per phase, one after another, while the attack is on",
            "silent connections": "\(sizes.idle) that never send a byte and \(sizes.slow) that send 3 bytes of a TLS record and stop, "
                + "all from 127.0.0.1",
            "held bodies": "\(sizes.heldBodies) pushes of one device, each declaring \(sizes.heldMiB + 1) MiB and sending \(sizes.heldMiB) MiB, "
                + "then nothing",
            "flood": "\(sizes.floodDevices) laptops of one shop, \(sizes.floodInFlight) pushes in flight, each \(sizes.floodRecords) new "
                + "customers of about \(sizes.floodRecordBytes) bytes (2 distinct bodies per laptop, resent), "
                + "\(flooded.failed) failed\(flooded.firstFailure.map { ": " + $0 } ?? "")",
            "binaries": Binaries.configuration,
        ]
        result.notes = [
            "Each attack runs from this process on the same 2 cores as the server, and the quiet shop's calls are timed while it is on. "
                + "The unloaded figures, marked *limit*, are the same calls with nothing else on: the bar beside each phase.",
            "What bounds each attack (Sync/TESTING.md §5): at most 64 unproven connections per address, a 10 s header timeout and "
                + "a 30 s idle timeout; 4 requests and 2 bodies in flight per device and 256 MiB of bodies in all; one request per shop "
                + "on the blocking pool at a time, so a flooding shop queues behind itself.",
        ]
        return result
    }

    /// The quiet shop's calls while whatever is on stays on: `samples` of /healthz and of its sync, each on a new
    /// connection, and the server's peak memory meanwhile.
    private func phase(_ server: ServerProcess, pem: String, quiet: inout BenchDevice, samples: Int) async throws -> Phase {
        ProcFS.resetPeak(server.pid)
        var health = LoadOutcome()
        var sync = LoadOutcome()
        for _ in 0..<samples {
            let healthClient = try SyncClient(base: server.url, certificatePEM: pem, connections: 1)
            await health.time {
                let answer = try await healthClient.send(.GET, "/healthz", token: nil)
                guard answer.status == 200 else { throw BenchFailure("healthz answered \(answer.status)") }
            }
            await healthClient.shutdown()
            let syncClient = try SyncClient(base: server.url, certificatePEM: pem, connections: 1)
            await sync.time { try await LoadGenerator.sync(&quiet, client: syncClient) }
            quiet.syncs += 1
            await syncClient.shutdown()
        }
        return Phase(health: health, sync: sync, peakRSS: server.peakResidentBytes)
    }
}

/// The scenario's shops: a quiet one whose calls are timed, one whose device holds bodies, and one that floods.
private struct HostileShops {
    let dataRoot: DataRoot
    let quiet: BenchDevice
    let holder: String
    let flooders: [String]

    init(in folder: String, floodDevices: Int) throws {
        dataRoot = DataRoot(folder + "/data")
        let administration = Administration(dataRoot: dataRoot)
        func shop(_ name: String, devices: Int) throws -> [String] {
            guard let slug = TenantSlug(name) else { throw BenchFailure("bad slug \(name)") }
            _ = try administration.createTenant(slug)
            // The shops' own rate limit out of the way: the attacks are on the server's bounds, not on it.
            try administration.setLimits(of: slug, requestsPerMinute: 1_000_000)
            return try (0..<devices).map { try administration.addDevice(named: "laptop \($0)", to: slug).token.text }
        }
        let quietToken = try shop("quiet", devices: 1)[0]
        quiet = BenchDevice(tenant: TenantSlug("quiet")!, token: quietToken, replica: ReplicaID.random())
        holder = try shop("holder", devices: 1)[0]
        flooders = try shop("flooder", devices: floodDevices)
    }
}
