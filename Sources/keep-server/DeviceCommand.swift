import ArgumentParser
import Foundation
import KeepTenancy

/// `keep-server device ...`: the laptops allowed to sync a shop.
struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Manage the laptops allowed to sync a shop.",
        subcommands: [Add.self, Enroll.self, List.self, Revoke.self, Rotate.self]
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
            let added = try data.administration.addDevice(named: name, to: try TenantSlug.parse(tenant))
            try Output.token(
                of: added,
                json: json,
                headline: "Added device \"\(added.device.name)\" to shop \(added.device.tenant). Its token, shown only this once:"
            )
        }
    }

    /// `keep-server device enroll TENANT NAME [--valid-for MINUTES] [--json]`.
    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a short code a new laptop logs in with, so that no token travels by chat or mail.",
            discussion: """
                The laptop's owner runs `keep login https://SERVER:PORT --enroll CODE` and gets the device's token \
                directly from the server. The code works once, and only until it expires (15 minutes unless \
                --valid-for says otherwise, at most a day). It is shown only now.
                """
        )

        @OptionGroup var data: DataOption

        @Argument(help: ArgumentHelp("The shop's slug.", valueName: "tenant"))
        var tenant: String

        @Argument(help: ArgumentHelp("A name for the laptop, e.g. \"front desk\".", valueName: "name"))
        var name: String

        @Option(name: .long, help: ArgumentHelp("How long the code works, in minutes (1 to 1440).", valueName: "minutes"))
        var validFor = 15

        @Flag(
            name: .long,
            help: "The code is for the shop's existing device NAME: its laptop gets a new token for the same device and store (a lost token)."
        )
        var existing = false

        @Flag(name: .long, help: "Print one JSON object: tenant, device, code, expiresAt.")
        var json = false

        func run() async throws {
            let slug = try TenantSlug.parse(tenant)
            let made = try data.administration.enrollmentCode(
                forDevice: name,
                of: slug,
                validFor: TimeInterval(validFor) * 60,
                existing: existing
            )
            if json {
                try Output.json(EnrollmentJSON(tenant: slug.rawValue, device: name, code: made.code.description, expiresAt: made.expiresAt))
                return
            }
            Output.line("Enrollment code for device \"\(name)\" of shop \(slug), valid once until \(made.expiresAt.formatted(.iso8601)):")
            Output.line("")
            Output.line("    \(made.code)")
            Output.line("")
            Output.line("On the laptop: keep login https://SERVER:PORT --enroll \(made.code)")
        }
    }

    /// `device enroll --json`.
    struct EnrollmentJSON: Encodable {
        let tenant: String
        let device: String
        let code: String
        let expiresAt: Date
    }

    /// `keep-server device revoke TENANT NAME`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop a laptop from syncing: its token stops working at once, even while the server runs."
        )

        @OptionGroup var device: DeviceArgument

        func run() async throws {
            let revoked = try device.administration.revokeDevice(named: device.name, of: try device.tenant())
            Output.line("Revoked device \"\(revoked.name)\" of shop \(revoked.tenant); its token no longer works.")
        }
    }

    /// `keep-server device list TENANT [--json]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a shop's laptops, revoked ones included (never their tokens).")

        @OptionGroup var data: DataOption

        @Argument(help: ArgumentHelp("The shop's slug.", valueName: "tenant"))
        var tenant: String

        @Flag(name: .long, help: "Print one JSON object: {\"devices\": [...]}.")
        var json = false

        func run() async throws {
            let devices = try data.administration.devices(of: try TenantSlug.parse(tenant))
            if json {
                try Output.json(["devices": devices.map(DeviceJSON.init)])
                return
            }
            guard !devices.isEmpty else {
                Output.line("Shop \(tenant) has no devices: add one with `keep-server device add \(tenant) NAME`.")
                return
            }
            for device in devices {
                Output.line("\(device.name): \(device.state); added \(device.createdAt.formatted(.iso8601))")
            }
        }
    }

    /// `keep-server device rotate TENANT NAME [--json]`.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a laptop a new token (printed once); the old one stops working at once.",
            discussion: "The laptop keeps its store and its place in the shop: its owner runs `keep login URL --token NEW` once."
        )

        @OptionGroup var device: DeviceArgument

        @Flag(name: .long, help: "Print one JSON object: tenant, device, token.")
        var json = false

        func run() async throws {
            let rotated = try device.administration.rotateDevice(named: device.name, of: try device.tenant())
            try Output.token(
                of: rotated,
                json: json,
                headline:
                    "New token for \"\(rotated.device.name)\" of shop \(rotated.device.tenant), shown only this once; the old one no longer works:"
            )
        }
    }
}

extension Device {
    /// Whether the device may sync, and which store it syncs, for people.
    var state: String {
        if let revokedAt { return "revoked \(revokedAt.formatted(.iso8601))" }
        return replica.map { "active, syncs store \($0)" } ?? "active, not synced yet"
    }
}
