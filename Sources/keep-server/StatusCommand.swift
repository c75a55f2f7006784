import ArgumentParser
import Foundation
import KeepTenancy

/// `keep-server status [--json]`: the whole server on one screen.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show every shop on one screen: its devices and when each last synced, silent ones, open conflicts, disk use, schema.",
        discussion: """
            A device is SILENT when it has not synced for more than a week: its laptop holds what nobody else has. \
            Conflicts are those the server's copy of the shop holds, for a person at a laptop to settle.
            """
    )

    @OptionGroup var data: DataOption

    @Flag(name: .long, help: "Print one JSON array, a shop per object.")
    var json = false

    func run() async throws {
        let shops = try data.administration.status()
        let now = Date()
        if json {
            try Output.json(shops.map { StatusJSON($0, now: now) })
            return
        }
        guard !shops.isEmpty else {
            Output.line("No shops in \(data.root.path) yet: create one with `keep-server tenant create SLUG`.")
            return
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.locale = Locale(identifier: "en_GB")
        formatter.dateFormat = "EEE d MMM yyyy HH:mm"
        var bytes: Int64 = 0
        var silent = 0
        for shop in shops {
            let summary = shop.summary
            bytes += summary.storeBytes
            var heading = "\(summary.tenant.slug)  \(summary.tenant.name)  \(summary.tenant.status.rawValue)"
            heading += "  " + ByteCountFormatter.string(fromByteCount: summary.storeBytes, countStyle: .file)
            heading += summary.schemaVersion.map { "  schema \($0)" } ?? "  store: \(summary.storeProblem ?? "unreadable")"
            if let conflicts = shop.openConflicts, conflicts > 0 { heading += "  \(conflicts) open conflicts" }
            Output.line(heading)
            let quiet = Set(shop.silentDevices(at: now).map(\.id))
            silent += quiet.count
            for device in shop.devices {
                let seen = device.lastSeenAt.map { "last synced " + formatter.string(from: $0) } ?? "never synced"
                Output.line("  \(device.name)  \(seen)\(quiet.contains(device.id) ? "  SILENT for more than a week" : "")")
            }
            if shop.devices.isEmpty { Output.line("  no devices: add one with `keep-server device enroll \(summary.tenant.slug) NAME`") }
        }
        let devices = shops.reduce(0) { $0 + $1.devices.count }
        Output.line(
            "\(shops.count) shops, \(devices) devices (\(silent) silent), "
                + ByteCountFormatter.string(fromByteCount: bytes, countStyle: .file) + " of shop stores"
        )
    }
}

/// `status --json`: one shop.
struct StatusJSON: Encodable {
    let slug: String
    let name: String
    let status: String
    let storeBytes: Int64
    let schemaVersion: Int?
    let storeProblem: String?
    let openConflicts: Int?
    let devices: [DeviceJSON]
    let silentDevices: [String]

    init(_ shop: ShopStatus, now: Date) {
        slug = shop.summary.tenant.slug.rawValue
        name = shop.summary.tenant.name
        status = shop.summary.tenant.status.rawValue
        storeBytes = shop.summary.storeBytes
        schemaVersion = shop.summary.schemaVersion
        storeProblem = shop.summary.storeProblem
        openConflicts = shop.openConflicts
        devices = shop.devices.map(DeviceJSON.init)
        silentDevices = shop.silentDevices(at: now).map(\.name)
    }
}
