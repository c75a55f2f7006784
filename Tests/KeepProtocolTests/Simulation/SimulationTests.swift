import Foundation
import Testing

/// Thousands of seeded runs of laptops editing, deleting and settling conflicts while syncing through a network
/// that loses, duplicates, delays and reorders messages and a server that restarts; each ends converged with
/// every write accounted for. See Sync/TESTING.md.
///
/// Environment: `KEEP_SIM_SEEDS` (how many seeds, default 2000), `KEEP_SIM_FIRST` (the first seed, default 1),
/// `KEEP_SIM_SECONDS` (a time bound, default 300), `KEEP_SIM_SEED` (replay one seed).
@Suite("Deterministic simulation", .serialized)
struct SimulationTests {
    @Test func everySeedConvergesWithEveryWriteAccountedFor() async throws {
        let environment = ProcessInfo.processInfo.environment
        let seeds: [UInt64]
        if let one = environment["KEEP_SIM_SEED"].flatMap(UInt64.init) {
            seeds = [one]
        } else {
            let first = environment["KEEP_SIM_FIRST"].flatMap(UInt64.init) ?? 1
            let count = environment["KEEP_SIM_SEEDS"].flatMap(UInt64.init) ?? 2000
            seeds = Array(first..<(first + count))
        }
        let deadline = ContinuousClock.now + .seconds(environment["KEEP_SIM_SECONDS"].flatMap(Int.init) ?? 300)
        let folder = SimulationFolder()
        var ran = 0
        for seed in seeds where ContinuousClock.now < deadline {
            let plan = SimulationPlan(seed: seed)
            if let failure = await Self.failure(of: plan, in: folder.path) {
                let shortest = await Self.shrink(plan, in: folder.path)
                Issue.record(
                    """
                    seed \(seed) failed: \(failure)
                    replay it: KEEP_SIM_SEED=\(seed) swift test --filter SimulationTests
                    shortest plan that still fails: \(shortest)
                    """
                )
                return
            }
            ran += 1
        }
        #expect(ran >= min(seeds.count, 100), "only \(ran) seeds ran before the time bound")
        print("simulation: \(ran) seeds passed (\(seeds.first ?? 0)…\((seeds.first ?? 0) + UInt64(max(ran, 1)) - 1))")
    }

    @Test("the checks catch a server that acknowledges pushes it did not store")
    func theChecksCatchALostPush() async throws {
        let folder = SimulationFolder()
        var caught = 0
        for seed in UInt64(1)...20 {
            let simulation = try Simulation(plan: SimulationPlan(seed: seed), in: folder.path, dropsAcknowledgedPushes: true)
            do {
                try await simulation.run()
            } catch let failure as SimulationFailure {
                #expect(failure.description.contains("differ") || failure.description.contains("lost write"), "\(failure)")
                caught += 1
            }
        }
        #expect(caught == 20)
    }

    @Test("the checks catch a server that lets a push leave values out")
    func theChecksCatchAnAcceptedErasure() async throws {
        let folder = SimulationFolder()
        // Ana creates a customer and a promise and syncs; Bea deletes the promise and syncs; then a broken laptop
        // pushes the server's states less the customer's name and less the promise's delete.
        let plan = SimulationPlan(
            seed: 0,
            replicas: 3,
            steps: [
                .createCustomer(replica: 0, key: 0, value: 1), .createPromise(replica: 0, key: 1, value: 2),
                .sync(replica: 0, faults: 0, faultRate: 0), .sync(replica: 1, faults: 0, faultRate: 0), .delete(replica: 1, record: 1),
                .sync(replica: 1, faults: 0, faultRate: 0), .pushOmitting(replica: 2, record: 0, pick: 0),
                .pushOmitting(replica: 2, record: 1, pick: 99),
            ]
        )
        #expect(await Self.failure(of: plan, in: folder.path) == nil, "the real server refuses both pushes")
        let failure = try #require(await Self.failure(of: plan, in: folder.path, acceptsErasures: true))
        #expect(failure.contains("fields") || failure.contains("deletes") || failure.contains("lost write"), "\(failure)")
    }

    @Test("shrinking keeps a failing plan failing and makes it shorter")
    func shrinkingFindsAShorterFailingPlan() async throws {
        let folder = SimulationFolder()
        let plan = SimulationPlan(seed: 7)
        let shortest = await Self.shrink(plan, in: folder.path, dropsAcknowledgedPushes: true)
        #expect(shortest.steps.count < plan.steps.count / 4, "\(shortest)")
        #expect(await Self.failure(of: shortest, in: folder.path, dropsAcknowledgedPushes: true) != nil)
    }

    /// Runs a plan; the failure it meets, if any.
    static func failure(
        of plan: SimulationPlan,
        in folder: String,
        dropsAcknowledgedPushes: Bool = false,
        acceptsErasures: Bool = false
    ) async -> String? {
        do {
            try await Simulation(plan: plan, in: folder, dropsAcknowledgedPushes: dropsAcknowledgedPushes, acceptsErasures: acceptsErasures).run()
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Removes steps while the plan still fails: halves, then quarters, down to single steps (bounded in runs).
    static func shrink(_ plan: SimulationPlan, in folder: String, dropsAcknowledgedPushes: Bool = false) async -> SimulationPlan {
        var steps = plan.steps
        var chunk = max(1, steps.count / 2)
        var runs = 0
        while runs < 600 {
            var start = 0
            var removed = false
            while start < steps.count, runs < 600 {
                var candidate = steps
                candidate.removeSubrange(start..<min(steps.count, start + chunk))
                runs += 1
                let shorter = SimulationPlan(seed: plan.seed, replicas: plan.replicas, steps: candidate)
                if await failure(of: shorter, in: folder, dropsAcknowledgedPushes: dropsAcknowledgedPushes) != nil {
                    steps = candidate
                    removed = true
                } else {
                    start += chunk
                }
            }
            if chunk == 1 && !removed { break }
            if !removed { chunk = max(1, chunk / 2) }
        }
        return SimulationPlan(seed: plan.seed, replicas: plan.replicas, steps: steps)
    }
}

/// Where the runs keep their stores: in memory (`/dev/shm`) when the machine has it, since a run writes many
/// small transactions and the point is the logic, not the disk; removed at the end.
final class SimulationFolder {
    let path: String

    init() {
        let base = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : FileManager.default.temporaryDirectory.path
        path = base + "/keep-simulation-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
