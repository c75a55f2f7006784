import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `keep-bench report`: BENCHMARKS.md from the scenarios' JSON figures and the machine they ran on.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write BENCHMARKS.md from a folder of scenario results (--out files).")

    @Option(help: ArgumentHelp("The folder of JSON results.", valueName: "folder"))
    var results: String

    @Option(help: ArgumentHelp("The Markdown file to write.", valueName: "file"))
    var output = "BENCHMARKS.md"

    @Option(help: "How long the whole suite took, in seconds.")
    var totalSeconds: Double?

    @Option(help: "The Swift compiler's version line.")
    var swiftVersion = ""

    @Option(help: "The command that ran the suite.")
    var suiteCommand = "scripts/bench"

    static let order = ["merge", "first-sync", "everyday-sync", "many-shops", "tenants-on-disk", "command-line", "hostile"]

    func run() throws {
        let decoder = JSONDecoder()
        let files = try FileManager.default.contentsOfDirectory(atPath: results).filter { $0.hasSuffix(".json") }
        var scenarios = try files.map { try decoder.decode(ScenarioResult.self, from: Data(contentsOf: URL(fileURLWithPath: results + "/" + $0))) }
        scenarios.sort { (Self.order.firstIndex(of: $0.id) ?? 99) < (Self.order.firstIndex(of: $1.id) ?? 99) }
        let text = render(scenarios)
        try text.write(toFile: output, atomically: true, encoding: .utf8)
        print("wrote \(output) (\(scenarios.count) scenarios)")
    }

    func render(_ scenarios: [ScenarioResult]) -> String {
        var lines: [String] = []
        lines.append("# Benchmarks")
        lines.append("")
        lines.append(
            "How fast Keepword syncs, each figure measured in the same run beside what this machine itself does with the same work "
                + "(marked *limit*), so that the ratio means something on any machine. This file is written by `\(suiteCommand)`; "
                + "the command under each scenario reproduces it from the package's folder. Benchmarks do not run in `.ci/run`; "
                + "a smoke run of each (`--smoke`) does, in `Tests/KeepSyncTests/BenchmarkSmokeTests.swift`."
        )
        lines.append("")
        lines.append("## The machine")
        lines.append("")
        lines.append("| | |")
        lines.append("|---|---|")
        for (name, value) in Machine.describe(swiftVersion: swiftVersion) { lines.append("| \(name) | \(value) |") }
        if let totalSeconds {
            lines.append("| the whole suite | \(String(format: "%.0f s (%.1f minutes)", totalSeconds, totalSeconds / 60)) |")
        }
        lines.append("")
        lines.append("## Targets")
        lines.append("")
        lines.append("The bar to beat on this 2-core machine, and where each figure stands (the median unless the figure says p50 or p99).")
        lines.append("")
        lines.append("| scenario | figure | measured | target | | beside it, the machine (same run) |")
        lines.append("|---|---|---:|---|:-:|---|")
        for scenario in scenarios {
            for figure in scenario.figures where figure.target != nil {
                lines.append(
                    "| \(scenario.title) | \(figure.name) | \(Format.number(figure.value, figure.unit)) | \(figure.target?.text ?? "") | "
                        + "\(figure.verdict) | \(figure.beside ?? "") |"
                )
            }
        }
        for scenario in scenarios {
            lines.append("")
            lines.append("## \(scenario.title)")
            lines.append("")
            lines.append("```sh")
            lines.append(scenario.command)
            lines.append("```")
            lines.append("")
            for (key, value) in scenario.parameters.sorted(by: { $0.key < $1.key }) { lines.append("- \(key): \(value)") }
            lines.append(String(format: "- took %.0f s", scenario.seconds))
            lines.append("")
            lines.append("| figure | | value | spread | runs | target | |")
            lines.append("|---|---|---:|---|---|---|:-:|")
            for figure in scenario.figures {
                let role =
                    switch figure.role {
                    case .measured: ""
                    case .limit: "*limit*"
                    case .detail: "detail"
                    }
                let statistic = figure.samples.count > 1 ? "\(figure.statistic.rawValue) " : ""
                lines.append(
                    "| \(figure.name) | \(role) | \(statistic)\(Format.number(figure.value, figure.unit)) | \(figure.spread) | "
                        + "\(figure.samples.count) | \(figure.target?.text ?? "") | \(figure.verdict) |"
                )
            }
            lines.append("")
            for note in scenario.notes { lines.append("- " + note) }
            let missed = scenario.missedTargets
            if !missed.isEmpty {
                lines.append("")
                lines.append("**What bounds it now** (\(missed.map(\.name).joined(separator: "; ")) missed):")
                lines.append("")
                for bound in scenario.bounds { lines.append("- Measured: " + bound + ".") }
                for finding in Findings.forScenario(scenario.id) { lines.append(finding.hasPrefix("  - ") ? finding : "- " + finding) }
            }
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }
}

/// What the report says about the machine.
enum Machine {
    static func describe(swiftVersion: String) -> [(String, String)] {
        var rows: [(String, String)] = []
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown"
        rows.append(("CPU", model))
        rows.append(("cores", String(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        if let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        {
            rows.append(("memory", String(format: "%.1f GiB", kilobytes / 1_048_576)))
        }
        var name = utsname()
        uname(&name)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { bytes in String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self) }
        }
        rows.append(("kernel", "\(field(name.sysname)) \(field(name.release)) \(field(name.machine))"))
        if !swiftVersion.isEmpty { rows.append(("Swift", swiftVersion)) }
        let date = ISO8601DateFormatter().string(from: Date())
        rows.append(("date", date))
        return rows
    }
}
