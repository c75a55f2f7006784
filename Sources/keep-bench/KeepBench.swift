import ArgumentParser

/// `keep-bench`: builds big stores and measures Keepword against them, beside what the machine itself can do.
@main
struct KeepBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keep-bench",
        abstract: "Benchmarks for Keepword, each figure measured beside the machine's own limit.",
        discussion: """
            Each scenario runs on its own (`keep-bench merge`, ...) and prints its figures; `--out FILE` also writes them \
            as JSON, and `keep-bench report` turns a folder of those into BENCHMARKS.md. `--smoke` runs a scenario at tiny \
            sizes in seconds, to check it still works. scripts/bench runs the whole suite. The scenarios start the `keep` \
            and `keep-server` executables built beside keep-bench (or in $KEEP_BIN) as processes, on 127.0.0.1 only.
            """,
        subcommands: [
            Populate.self, MergeBench.self, FirstSyncBench.self, EverydaySyncBench.self, ManyShopsBench.self, TenantsOnDiskBench.self,
            CommandLineBench.self, HostileBench.self, Report.self,
        ]
    )
}
