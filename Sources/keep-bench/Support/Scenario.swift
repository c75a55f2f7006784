import ArgumentParser

/// A benchmark scenario: a subcommand whose `run()` times its `measure()`, kills any server it started if it fails,
/// and reports what it measured.
protocol Scenario: AsyncParsableCommand {
    var options: BenchOptions { get }
    func measure() async throws -> ScenarioResult
}

extension Scenario {
    func run() async throws {
        Children.installSignalHandlers()
        let start = Clock.now()
        let load = MachineLoad.now()
        do {
            var result = try await measure()
            result.seconds = Clock.now() - start
            result.parameters["machine during the run"] = MachineLoad.now().describe(since: load)
            try result.finish(out: options.out)
        } catch {
            Children.killAll()
            throw error
        }
    }
}

extension ScenarioResult {
    /// A result named after the scenario's subcommand; `arguments` are the sizes it runs at, for the command that reproduces it.
    init(of scenario: some Scenario, title: String, arguments: [String]) {
        let name = type(of: scenario).configuration.commandName ?? "\(type(of: scenario))"
        self.init(id: name, title: title, command: scenario.options.command(name, arguments))
    }
}
