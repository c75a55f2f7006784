import ArgumentParser
import KeepServer

/// `keep-server device ...`: the laptops allowed to sync a shop.
struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Manage the laptops allowed to sync a shop.",
        subcommands: [Add.self, Revoke.self]
    )

    /// `keep-server device add TENANT NAME [--json]`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Allow a laptop to sync a shop, and print its token (once).",
            discussion: """
                The token is shown only now and stored only as a hash: hand it to the laptop's owner, who runs \
                `keep login https://SERVER:PORT --token TOKEN`. A lost token cannot be shown again; revoke the \
                device and add a new one.
                """
        )

        @OptionGroup var data: DataOption

        @Argument(help: ArgumentHelp("The shop's slug.", valueName: "tenant"))
        var tenant: String

        @Argument(help: ArgumentHelp("A name for the laptop, e.g. \"front desk\".", valueName: "name"))
        var name: String

        @Flag(name: .long, help: "Print one JSON object: tenant, device, token.")
        var json = false

        func run() async throws {
            let added = try Administration(dataRoot: data.root).addDevice(named: name, to: try TenantSlug.parse(tenant))
            if json {
                try Output.json(["tenant": added.device.tenant.rawValue, "device": added.device.name, "token": added.token.text])
            } else {
                Output.line("Added device \"\(added.device.name)\" to shop \(added.device.tenant). Its token, shown only this once:")
                Output.line(added.token.text)
            }
        }
    }

    /// `keep-server device revoke TENANT NAME`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop a laptop from syncing: its token stops working at once, even while the server runs."
        )

        @OptionGroup var data: DataOption

        @Argument(help: ArgumentHelp("The shop's slug.", valueName: "tenant"))
        var tenant: String

        @Argument(help: ArgumentHelp("The device's name, as given to `device add`.", valueName: "name"))
        var name: String

        func run() async throws {
            let device = try Administration(dataRoot: data.root).revokeDevice(named: name, of: try TenantSlug.parse(tenant))
            Output.line("Revoked device \"\(device.name)\" of shop \(device.tenant); its token no longer works.")
        }
    }
}
