import ArgumentParser
import Foundation
import KeepCore
import KeepStore

/// `keep config`: the store's settings.
struct Config: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show or change the store's settings.",
        discussion: """
            Settings: agent (who you write as), reply-window (how long a customer may wait for a reply: 24h, 2d), \
            workday-end (HH:MM, the time a date without a time means), follow-up-purchases ("100 after 14d": \
            purchases of at least 100 get a follow-up 14 days later; "off" to stop), opening-hours ("mon-fri 09:00-17:00, \
            sat 10:00-14:00": the reply window counts only while the shop is open; "always" to count every hour), \
            closed-days ("2026-12-24, 2026-12-25..2026-12-26": no hour of them counts; "none" to clear), \
            country-code (the shop's country calling code, e.g. 30: "210 123 4567" is then "+30 210 123 4567" in \
            search, REFs and imports; "none" to clear).

            Every setting but agent is the shop's: it is kept in the book and syncs, so each laptop of the shop \
            follows the last one set. Two laptops that change one setting before syncing get a conflict to settle \
            (`keep conflicts`). The agent, and the laptop's server login, stay on this laptop.
            """,
        subcommands: [List.self, Change.self],
        defaultSubcommand: List.self
    )

    /// The settings as people name them.
    enum Key: String, CaseIterable, ExpressibleByArgument {
        case agent
        case replyWindow = "reply-window"
        case workdayEnd = "workday-end"
        case followUpPurchases = "follow-up-purchases"
        case openingHours = "opening-hours"
        case closedDays = "closed-days"
        case countryCode = "country-code"

        /// The store's setting this key names.
        var setting: StoreSetting {
            switch self {
            case .agent: .agent
            case .replyWindow: .replyWindowHours
            case .workdayEnd: .workdayEnd
            case .followUpPurchases: .purchaseFollowUp
            case .openingHours: .openingHours
            case .closedDays: .closedDays
            case .countryCode: .countryCode
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show every setting.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        func run() throws {
            let session = try Session.open(global)
            let values = try session.store.snapshot { store in
                [
                    "agent": try store.setting(.agent),
                    "reply-window": try store.setting(.replyWindowHours) + "h",
                    "workday-end": try store.setting(.workdayEnd),
                    "follow-up-purchases": PurchaseFollowUpRule(parsing: try store.setting(.purchaseFollowUp))?.description ?? "off",
                    "opening-hours": (try? OpeningHours(timetable: store.setting(.openingHours)))?.timetable ?? "always",
                    "closed-days": (try? OpeningHours.closedDays(store.setting(.closedDays))).map(OpeningHours.closedDaysText)
                        .flatMap { $0.isEmpty ? nil : $0 } ?? "none",
                    "country-code": try store.countryCode()?.description ?? "none",
                    "store": store.path,
                    "replica": store.replicaID.rawValue,
                ]
            }
            if output.json {
                print(JSONValue.object(values.mapValues(JSONValue.string)).rendered)
                return
            }
            let groups = [
                ("The shop's, followed by every laptop of the shop:", Key.allCases.filter { $0.setting.shopField != nil }.map(\.rawValue)),
                ("This laptop's:", ["agent", "store", "replica"]),
            ]
            for (index, (title, keys)) in groups.enumerated() {
                print((index == 0 ? "" : "\n") + title)
                for key in keys { print("  \(key.padding(toLength: 21, withPad: " ", startingAt: 0))\(values[key] ?? "")") }
            }
        }
    }

    struct Change: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a setting.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "agent, reply-window, workday-end, follow-up-purchases, opening-hours, closed-days or country-code.")
        var key: Key

        @Argument(help: "The new value, e.g. Ελένη, 24h, 2d, 18:30, \"100 after 14d\", \"mon-fri 09:00-17:00\", 2026-12-24, 30.")
        var value: String

        func run() throws {
            let session = try Session.open(global)
            let setting = key.setting
            let stored = try Self.parse(key, value)
            try session.store.set(setting, to: stored)
            let shown =
                switch key {
                case .openingHours: stored.isEmpty ? "always (every hour counts)" : stored
                case .closedDays: stored.isEmpty ? "none" : stored
                case .countryCode: stored.isEmpty ? "none" : "+" + stored
                default: value
                }
            print("\(key.rawValue) is now \(shown)" + (setting.shopField == nil ? "" : " for the whole shop"))
            if setting.shopField != nil { print("Other laptops follow at their next sync.") }
        }

        static func parse(_ key: Key, _ value: String) throws -> String {
            switch key {
            case .agent:
                return try Validate.agent(value)
            case .replyWindow:
                let trimmed = value.trimmingCharacters(in: .whitespaces).lowercased()
                let unit = trimmed.last
                guard let number = Int(trimmed.dropLast()), number > 0, unit == "h" || unit == "d" else {
                    throw KeepError("\"\(value)\" is not a reply window: use hours or days, e.g. 24h or 2d", status: .usage)
                }
                let hours = unit == "d" ? number * 24 : number
                guard hours <= 24 * 30 else { throw KeepError("a reply window of \(hours) hours is too long: use at most 30d", status: .usage) }
                return String(hours)
            case .workdayEnd:
                guard DayTime(parsing: value) != nil else {
                    throw KeepError("\"\(value)\" is not a time of day: use HH:MM, e.g. 17:00", status: .usage)
                }
                return value.trimmingCharacters(in: .whitespaces)
            case .followUpPurchases:
                if value.trimmingCharacters(in: .whitespaces).lowercased() == "off" { return "" }
                guard let rule = PurchaseFollowUpRule(parsing: value) else {
                    throw KeepError(
                        "\"\(value)\" is not a follow-up rule: give the smallest amount and the delay, e.g. \"100 after 14d\" or \"250 after 2w\", or off",
                        status: .usage
                    )
                }
                return rule.description
            case .openingHours:
                if ["always", "off"].contains(value.trimmingCharacters(in: .whitespaces).lowercased()) { return "" }
                do {
                    return try OpeningHours(timetable: value).timetable
                } catch {
                    throw KeepError(error.description, status: .usage)
                }
            case .countryCode:
                if ["none", "off"].contains(value.trimmingCharacters(in: .whitespaces).lowercased()) { return "" }
                guard let code = CountryCode(value) else {
                    throw KeepError(
                        "\"\(value)\" is not a country calling code: give the digits after + in the shop's numbers, e.g. 30 for Greece, 370 for Lithuania or 98 for Iran, or none",
                        status: .usage
                    )
                }
                return code.digits
            case .closedDays:
                do {
                    let days = try OpeningHours.closedDays(value)
                    return OpeningHours.closedDaysText(days)
                } catch {
                    throw KeepError(error.description, status: .usage)
                }
            }
        }
    }
}
