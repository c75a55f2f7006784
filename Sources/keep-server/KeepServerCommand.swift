import ArgumentParser
import Foundation
import KeepCore
import KeepServer
import KeepTenancy

/// `keep-server`: the sync server many shops share, and the commands that manage its shops and devices.
@main
struct KeepServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keep-server",
        abstract: "The sync server for Keepword: many shops, each with its own customer book, over HTTPS.",
        discussion: """
            Create a shop with `keep-server tenant create SLUG`, give each laptop a device token with \
            `keep-server device add SLUG NAME`, and run `keep-server serve`. Shops and devices created while the \
            server runs are served at once. Everything lives under --data (default: ./Tenants).
            """,
        version: BuildInfo.version,
        subcommands: [
            Serve.self, TenantCommand.self, DeviceCommand.self, MigrateCommand.self, BackupCommand.self, RestoreCommand.self, CheckCommand.self,
            TLSCommand.self, StatusCommand.self,
        ]
    )

    /// Runs the command line, printing a failure as one line `keep-server: problem: fix` with a sysexits status.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as KeepServerError {
            Output.error(error.description)
            Foundation.exit(error.status.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}
