import ArgumentParser
import Foundation

/// What every scenario takes.
struct BenchOptions: ParsableArguments {
    @Flag(help: "Tiny sizes that finish in seconds: checks the scenario still runs, measures nothing worth keeping.")
    var smoke = false

    @Option(help: "How many timed runs (each scenario has its own default).")
    var runs: Int?

    @Option(help: ArgumentHelp("Also write the figures as JSON to this file, for `keep-bench report`.", valueName: "file"))
    var out: String?

    func validate() throws {
        if let runs, !(1...10_000).contains(runs) { throw ValidationError("--runs must be between 1 and 10,000") }
    }

    /// `--runs`, or `full` runs normally and `smoke` runs in smoke mode.
    func runs(full: Int, smoke smokeRuns: Int) -> Int { runs ?? (smoke ? smokeRuns : full) }

    /// The command line that reproduces a scenario with these settings.
    func command(_ scenario: String, _ extra: [String] = []) -> String {
        var words = ["swift run -c release keep-bench", scenario] + extra
        if smoke { words.append("--smoke") }
        if let runs { words += ["--runs", String(runs)] }
        return words.joined(separator: " ")
    }
}

/// A line on standard error saying where a scenario is, so a long run shows its progress.
func progress(_ message: String) {
    FileHandle.standardError.write(Data("   … \(message)\n".utf8))
}

/// How many times to repeat a measurement: at least `minimum`, then more up to `maximum` while the phase has taken
/// less than `seconds`, so that a slow build still finishes the suite in its time and a fast one gets more runs.
struct RunBudget {
    let minimum: Int
    let maximum: Int
    let seconds: Double
    private let start = Clock.now()

    init(minimum: Int, maximum: Int, seconds: Double) {
        self.minimum = min(minimum, maximum)
        self.maximum = maximum
        self.seconds = seconds
    }

    /// With `--runs N`: exactly N.
    init(exactly runs: Int) {
        self.init(minimum: runs, maximum: runs, seconds: .infinity)
    }

    func another(after done: Int) -> Bool {
        done < minimum || (done < maximum && Clock.now() - start < seconds)
    }

    /// How the report describes the number of runs.
    func describe(_ done: Int) -> String {
        minimum == maximum ? "\(done)" : "\(done) (as many as fit in \(Int(seconds)) s, between \(minimum) and \(maximum))"
    }
}

extension BenchOptions {
    /// `--runs N` exactly, else `smoke` runs in smoke mode, else as many as fit in the budget.
    func budget(minimum: Int, maximum: Int, seconds: Double, smoke smokeRuns: Int) -> RunBudget {
        if let runs { return RunBudget(exactly: runs) }
        if smoke { return RunBudget(exactly: smokeRuns) }
        return RunBudget(minimum: minimum, maximum: maximum, seconds: seconds)
    }
}
