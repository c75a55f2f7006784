import Foundation

/// A bar a figure must clear.
struct Target: Codable, Sendable {
    /// At least `bound` when true, at most when false.
    let atLeast: Bool
    let bound: Double
    /// As the report states it, e.g. "≥ 200,000 /s".
    let text: String

    static func atLeast(_ bound: Double, _ text: String) -> Target { Target(atLeast: true, bound: bound, text: text) }
    static func atMost(_ bound: Double, _ text: String) -> Target { Target(atLeast: false, bound: bound, text: text) }

    func isMet(by value: Double) -> Bool { atLeast ? value >= bound : value <= bound }
}

/// One figure of a scenario: its samples over the runs and how to summarize them.
struct Figure: Codable, Sendable {
    enum Role: String, Codable, Sendable {
        /// What Keepword does.
        case measured
        /// What the machine itself does with the same work: the bar beside the figure.
        case limit
        /// A figure that explains another one (a part of the time, a ratio, a count).
        case detail
    }

    enum Statistic: String, Codable, Sendable {
        case median
        case p50
        case p99
        case peak
    }

    var name: String
    var unit: String
    var samples: Samples
    var statistic: Statistic = .median
    var role: Role = .measured
    var target: Target?
    /// What the machine itself does with the same work, in the same run, said beside the figure in the targets table.
    var beside: String?

    /// The figure the report shows.
    var value: Double {
        switch statistic {
        case .median, .p50: samples.median
        case .p99: samples.percentile(0.99)
        case .peak: samples.maximum
        }
    }

    /// The spread the report shows beside it: p10–p90 for many samples, else min–max.
    var spread: String {
        guard samples.count > 1 else { return "" }
        if statistic == .p99 || statistic == .peak { return "" }
        if samples.count >= 20 {
            return "p10–p90 \(Format.number(samples.percentile(0.1), ""))–\(Format.number(samples.percentile(0.9), ""))"
        }
        return "min–max \(Format.number(samples.minimum, ""))–\(Format.number(samples.maximum, ""))"
    }

    var runsText: String { samples.count == 1 ? "1 run" : "\(samples.count) runs" }

    var verdict: String {
        guard let target else { return "" }
        return target.isMet(by: value) ? "✔" : "✘"
    }
}

/// What one scenario measured, as `keep-bench SCENARIO --out FILE` writes it and `keep-bench report` reads it.
struct ScenarioResult: Codable, Sendable {
    var id: String
    var title: String
    /// The command that reproduces it, from the package's folder.
    var command: String
    var parameters: [String: String] = [:]
    var figures: [Figure] = []
    /// What the figures mean and how they were taken.
    var notes: [String] = []
    /// When a target is missed: what bounds the figure now, from the run's own breakdown.
    var bounds: [String] = []
    var seconds: Double = 0

    var missedTargets: [Figure] { figures.filter { $0.target != nil && $0.verdict == "✘" } }

    mutating func add(
        _ name: String,
        _ unit: String,
        _ samples: Samples,
        statistic: Figure.Statistic = .median,
        role: Figure.Role = .measured,
        target: Target? = nil
    ) {
        figures.append(Figure(name: name, unit: unit, samples: samples, statistic: statistic, role: role, target: target))
    }

    mutating func add(_ name: String, _ unit: String, value: Double, role: Figure.Role = .detail, target: Target? = nil) {
        add(name, unit, Samples([value]), role: role, target: target)
    }

    func figure(_ name: String) -> Figure? { figures.first { $0.name == name } }

    /// Says beside the figure `name` what the machine itself does with the same work.
    mutating func beside(_ name: String, _ text: String) {
        guard let index = figures.firstIndex(where: { $0.name == name }) else { return }
        figures[index].beside = text
    }

    /// Prints the figures for a person, and writes the JSON for the report when `out` is given.
    func finish(out: String?) throws {
        print("== \(title)")
        for (key, value) in parameters.sorted(by: { $0.key < $1.key }) { print("   \(key): \(value)") }
        for figure in figures {
            var line = "   \(figure.role == .limit ? "[limit] " : "")\(figure.name): \(Format.number(figure.value, figure.unit))"
            line += " (\(figure.statistic.rawValue) of \(figure.runsText)\(figure.spread.isEmpty ? "" : ", " + figure.spread))"
            if let target = figure.target { line += "  target \(target.text) \(figure.verdict)" }
            if let beside = figure.beside { line += "  [machine: \(beside)]" }
            print(line)
        }
        for bound in bounds { print("   bound: \(bound)") }
        print("   took \(String(format: "%.1f", seconds)) s")
        if let out {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(self).write(to: URL(fileURLWithPath: out))
        }
    }
}

/// Numbers as the report writes them.
enum Format {
    static func number(_ value: Double, _ unit: String) -> String {
        guard value.isFinite else { return "n/a" }
        let digits: Int
        switch abs(value) {
        case 100...: digits = 0
        case 10..<100: digits = 1
        case 1..<10: digits = 2
        default: digits = 3
        }
        return grouped(value, digits: digits) + (unit.isEmpty ? "" : (unit == "×" ? "×" : " " + unit))
    }

    static func grouped(_ value: Double, digits: Int) -> String {
        let text = String(format: "%.\(digits)f", value)
        let parts = text.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        let negative = whole.hasPrefix("-")
        if negative { whole.removeFirst() }
        var groups: [String] = []
        while whole.count > 3 {
            groups.insert(String(whole.suffix(3)), at: 0)
            whole.removeLast(3)
        }
        groups.insert(whole, at: 0)
        return (negative ? "-" : "") + groups.joined(separator: ",") + (parts.count > 1 ? "." + parts[1] : "")
    }

    static func megabytes(_ bytes: Int) -> Double { Double(bytes) / 1_048_576 }
}
