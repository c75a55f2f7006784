import Foundation
import KeepTestSupport
import Testing

/// Every benchmark scenario at tiny sizes through the built `keep-bench`, so the benchmarks cannot rot: each must
/// exit 0 and print its figures. The figures themselves are not checked: timing belongs in scripts/bench, not in tests.
@Suite("Benchmark smoke runs", .serialized)
struct BenchmarkSmokeTests {
    /// Each scenario and the figures its output must name.
    static let scenarios: [(name: String, figures: [String])] = [
        ("merge", ["merge through SyncService.push"]),
        ("first-sync", ["keep sync, whole process"]),
        ("everyday-sync", ["keep sync, nothing to do"]),
        ("many-shops", ["small syncs per second"]),
        ("tenants-on-disk", ["server memory, peak"]),
        ("command-line", ["keep promise list --overdue", "keep customer import of 200 contacts (CSV)", "raw SQLite inserts of the same 200"]),
        ("hostile", ["a flooding shop: another shop's sync"]),
    ]

    @Test(arguments: scenarios.map(\.name))
    func scenarioRunsAndPrintsItsFigures(scenario: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-bench-smoke-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/result.json"
        let result = try await runProcess(
            Executables.url("keep-bench"),
            [scenario, "--smoke", "--out", out],
            environment: ["PATH": "/usr/bin:/bin", "HOME": folder, "KEEP_BENCH_TMP": folder, "TZ": "Europe/Athens"]
        )
        #expect(result.status == 0, "keep-bench \(scenario) --smoke failed: \(result.stderr)\(result.stdout)")
        for figure in try #require(Self.scenarios.first { $0.name == scenario }).figures {
            #expect(result.stdout.contains(figure), "no \"\(figure)\" in: \(result.stdout)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
        let figures = json?["figures"] as? [[String: Any]] ?? []
        #expect(!figures.isEmpty, "no figures in \(out)")
        for entry in figures {
            let samples = (entry["samples"] as? [String: Any])?["values"] as? [Double] ?? []
            #expect(!samples.isEmpty && samples.allSatisfy { $0.isFinite && $0 >= 0 }, "figure \(entry["name"] ?? "?") has no usable samples")
        }
    }

    /// The report turns the smoke results into Markdown with the machine, every figure and a verdict per target.
    @Test func reportWritesTheMachineAndTheTargets() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-bench-report-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/results", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let environment = ["PATH": "/usr/bin:/bin", "HOME": folder, "KEEP_BENCH_TMP": folder]
        let merged = try await runProcess(
            Executables.url("keep-bench"),
            ["merge", "--smoke", "--out", folder + "/results/merge.json"],
            environment: environment
        )
        #expect(merged.status == 0, "\(merged.stderr)")
        let report = try await runProcess(
            Executables.url("keep-bench"),
            ["report", "--results", folder + "/results", "--output", folder + "/BENCHMARKS.md", "--total-seconds", "12"],
            environment: environment
        )
        #expect(report.status == 0, "\(report.stderr)")
        let text = try String(contentsOfFile: folder + "/BENCHMARKS.md", encoding: .utf8)
        for expected in [
            "## The machine", "| CPU |", "| kernel |", "## Targets", "1. Merge on the server", "*limit*", "swift run -c release keep-bench merge",
        ] {
            #expect(text.contains(expected), "BENCHMARKS.md lacks \(expected)")
        }
        #expect(text.contains("✔") || text.contains("✘"))
    }
}
