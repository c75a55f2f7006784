import ArgumentParser
import Foundation
import KeepCore
import KeepStore

/// `keep today`: the morning list.
struct Today: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What needs doing: overdue promises, replies owed, what is due today, what is coming up.",
        discussion:
            "Overdue promises come first, then replies owed sorted by time left, then what is due today, then the promises and follow-ups of the next days."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: ListOptions

    @Option(help: "How many days ahead to show promises and follow-ups coming up.")
    var days = 7

    @Option(help: "Show at most this many rows of each list (default: \(Self.screenRows) on screen, all with --json); 0 shows all.")
    var limit: Int?

    /// Enough rows to act on over a morning; a big book's thousands would bury the first ones.
    static let screenRows = 15

    func validate() throws {
        guard (0...366).contains(days) else { throw ValidationError("--days must be between 0 and 366") }
        if let limit, !(0...100_000).contains(limit) { throw ValidationError("--limit must be between 0 (all) and 100000") }
    }

    func run() throws {
        let session = try Session.open(global)
        let lookAhead = session.calendar.date(byAdding: .day, value: days, to: session.endOfToday) ?? session.endOfToday
        let rows = (limit ?? (output.json ? 0 : Self.screenRows))
        let agenda = try session.read { store throws(StoreError) in
            try store.agenda(now: session.now, endOfToday: session.endOfToday, lookAhead: lookAhead, limit: rows == 0 ? nil : rows)
        }
        if output.json {
            print(Self.json(agenda, now: session.now).rendered)
            return
        }
        let console = session.console
        guard !agenda.isEmpty else {
            print("Nothing owed today: no overdue promises, no replies owed, nothing due.")
            return
        }
        let renderer = AgendaRenderer(session: session, customers: agenda.customers)
        let totals = agenda.totals
        /// A table, then how many rows it left out and where to see them.
        func table(_ rendered: String, shown: Int, total: Int, rest command: String) -> String {
            guard total > shown else { return rendered }
            return rendered + console.style("… and \(total - shown) more: \(command)", .dim) + "\n"
        }
        let everything = "keep today --limit 0"
        var sections: [String] = []
        if !agenda.overduePromises.isEmpty {
            sections.append(
                console.style("Overdue promises (\(totals.overduePromises))", .boldRed) + "\n"
                    + table(
                        renderer.promiseTable(agenda.overduePromises, showCustomer: true),
                        shown: agenda.overduePromises.count,
                        total: totals.overduePromises,
                        rest: "keep promise list --overdue"
                    )
            )
        }
        if !agenda.repliesOwed.isEmpty {
            sections.append(
                console.style("Replies owed (\(totals.repliesOwed))", .bold) + "\n"
                    + table(
                        renderer.replyTable(agenda.repliesOwed),
                        shown: agenda.repliesOwed.count,
                        total: totals.repliesOwed,
                        rest: "keep inquiry list"
                    )
            )
        }
        if !agenda.waitingOnCustomers.isEmpty {
            sections.append(
                console.style("Waiting on customers (\(totals.waitingOnCustomers))", .bold) + "\n"
                    + table(
                        renderer.waitingTable(agenda.waitingOnCustomers),
                        shown: agenda.waitingOnCustomers.count,
                        total: totals.waitingOnCustomers,
                        rest: "keep inquiry list"
                    )
            )
        }
        if !agenda.promisesDueToday.isEmpty || !agenda.followUpsDueToday.isEmpty {
            var section = console.style("Due today", .bold) + "\n"
            if !agenda.promisesDueToday.isEmpty {
                section += table(
                    renderer.promiseTable(agenda.promisesDueToday, showCustomer: true),
                    shown: agenda.promisesDueToday.count,
                    total: totals.promisesDueToday,
                    rest: everything
                )
            }
            if !agenda.followUpsDueToday.isEmpty {
                section += table(
                    renderer.followUpTable(agenda.followUpsDueToday, showCustomer: true),
                    shown: agenda.followUpsDueToday.count,
                    total: totals.followUpsDueToday,
                    rest: "keep followup list"
                )
            }
            sections.append(section)
        }
        if !agenda.promisesComingUp.isEmpty || !agenda.followUpsComingUp.isEmpty {
            var section = console.style("Coming up in the next \(days) days", .bold) + "\n"
            if !agenda.promisesComingUp.isEmpty {
                section += table(
                    renderer.promiseTable(agenda.promisesComingUp, showCustomer: true),
                    shown: agenda.promisesComingUp.count,
                    total: totals.promisesComingUp,
                    rest: everything
                )
            }
            if !agenda.followUpsComingUp.isEmpty {
                section += table(
                    renderer.followUpTable(agenda.followUpsComingUp, showCustomer: true),
                    shown: agenda.followUpsComingUp.count,
                    total: totals.followUpsComingUp,
                    rest: "keep followup list"
                )
            }
            sections.append(section)
        }
        print(sections.joined(separator: "\n"), terminator: "")
    }

    static func json(_ agenda: Agenda, now: Date) -> JSONValue {
        let customers = agenda.customers
        let totals = agenda.totals
        return .object([
            "at": .time(now),
            "overduePromises": .array(agenda.overduePromises.map { JSONShape.promise($0, customers: customers, now: now) }),
            "repliesOwed": .array(agenda.repliesOwed.map { JSONShape.note($0, customers: customers, now: now) }),
            "waitingOnCustomers": .array(agenda.waitingOnCustomers.map { JSONShape.note($0, customers: customers, now: now) }),
            "promisesDueToday": .array(agenda.promisesDueToday.map { JSONShape.promise($0, customers: customers, now: now) }),
            "followUpsDueToday": .array(agenda.followUpsDueToday.map { JSONShape.followUp($0, customers: customers, now: now) }),
            "promisesComingUp": .array(agenda.promisesComingUp.map { JSONShape.promise($0, customers: customers, now: now) }),
            "followUpsComingUp": .array(agenda.followUpsComingUp.map { JSONShape.followUp($0, customers: customers, now: now) }),
            "totals": .object([
                "overduePromises": .integer(totals.overduePromises), "repliesOwed": .integer(totals.repliesOwed),
                "waitingOnCustomers": .integer(totals.waitingOnCustomers), "promisesDueToday": .integer(totals.promisesDueToday),
                "followUpsDueToday": .integer(totals.followUpsDueToday), "promisesComingUp": .integer(totals.promisesComingUp),
                "followUpsComingUp": .integer(totals.followUpsComingUp),
            ]),
        ])
    }
}
