import ArgumentParser
import Foundation
import KeepCore
import KeepStore

/// Where this laptop stands with the shop's server: when it last synced, and what waits to be sent.
struct SyncState {
    let loggedIn: Bool
    let last: Date?
    let waiting: Int

    init(_ store: ReplicaStore) throws {
        (loggedIn, last, waiting) = try store.snapshot { store in
            (
                !(try store.setting(.syncServer)).isEmpty,
                Int64(try store.setting(.lastSyncAt)).map(Date.init(epochMilliseconds:)),
                try store.outboxCount()
            )
        }
    }

    /// One line under the morning list: when the laptop last synced, and a warning when it has waited more than a
    /// day with changes to send (the others do not see them, and a lost laptop would lose them).
    func note(_ session: Session) {
        guard loggedIn else { return }
        let changes = waiting == 1 ? "1 change" : "\(waiting) changes"
        guard let last else {
            if waiting > 0 { session.console.print(session.console.style("Never synced, \(changes) to send: run keep sync", .boldRed)) }
            return
        }
        let when = Format.dateTime(last, session.calendar, now: session.now)
        if waiting > 0, session.now.timeIntervalSince(last) > 24 * 3600 {
            session.console.print(session.console.style("Last synced \(when), more than a day ago, with \(changes) to send: run keep sync", .boldRed))
        } else {
            session.console.print(session.console.style("Last synced \(when)" + (waiting > 0 ? ", \(changes) to send" : ""), .dim))
        }
    }
}

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
        let agenda = try session.store.agenda(now: session.now, endOfToday: session.endOfToday, lookAhead: lookAhead, limit: rows == 0 ? nil : rows)
        let conflicts = try ConflictDescriber(session: session)
        let sync = try SyncState(session.store)
        if output.json {
            var json = Self.json(agenda, conflicts: conflicts, now: session.now)
            if case .object(var object) = json {
                object["lastSyncAt"] = .time(sync.last)
                object["waitingToSend"] = .integer(sync.waiting)
                json = .object(object)
            }
            print(json.rendered)
            return
        }
        defer { sync.note(session) }
        let console = session.console
        guard !agenda.isEmpty || !conflicts.conflicts.isEmpty else {
            print("Nothing owed today: no overdue promises, no replies owed, nothing due.")
            return
        }
        let renderer = AgendaRenderer(session: session, customers: agenda.customers)
        let totals = agenda.totals
        let everything = "keep today --limit 0"
        /// One list of a section: its table and, when the list was cut, how many more there are and where to see them.
        func part<Item>(_ items: [Item], total: Int, rest command: String, _ render: ([Item]) -> String) -> String {
            guard !items.isEmpty else { return "" }
            let more = total > items.count ? console.style("… and \(total - items.count) more: \(command)", .dim) + "\n" : ""
            return render(items) + more
        }
        let sections = [
            (
                console.style("Overdue promises (\(totals.overduePromises))", .boldRed),
                part(agenda.overduePromises, total: totals.overduePromises, rest: "keep promise list --overdue") {
                    renderer.promiseTable($0, showCustomer: true)
                }
            ),
            (
                console.style("Replies owed (\(totals.repliesOwed))", .bold),
                part(agenda.repliesOwed, total: totals.repliesOwed, rest: "keep inquiry list", renderer.replyTable)
            ),
            (
                console.style("Waiting on customers (\(totals.waitingOnCustomers))", .bold),
                part(agenda.waitingOnCustomers, total: totals.waitingOnCustomers, rest: "keep inquiry list", renderer.waitingTable)
            ),
            (
                console.style("Conflicts to settle (\(conflicts.conflicts.count))", .bold),
                part(Array(conflicts.conflicts.prefix(rows == 0 ? Int.max : rows)), total: conflicts.conflicts.count, rest: "keep conflicts") {
                    $0.map { "  \(console.style(conflicts.ref($0), .cyan))  \(conflicts.record($0))\n" }.joined()
                        + console.style("  see the values with keep conflicts, settle with keep resolve", .dim) + "\n"
                }
            ),
            (
                console.style("Due today", .bold),
                part(agenda.promisesDueToday, total: totals.promisesDueToday, rest: everything) {
                    renderer.promiseTable($0, showCustomer: true)
                }
                    + part(agenda.followUpsDueToday, total: totals.followUpsDueToday, rest: "keep followup list") {
                        renderer.followUpTable($0, showCustomer: true)
                    }
            ),
            (
                console.style("Coming up in the next \(days) days", .bold),
                part(agenda.promisesComingUp, total: totals.promisesComingUp, rest: everything) {
                    renderer.promiseTable($0, showCustomer: true)
                }
                    + part(agenda.followUpsComingUp, total: totals.followUpsComingUp, rest: "keep followup list") {
                        renderer.followUpTable($0, showCustomer: true)
                    }
            ),
        ]
        .filter { !$0.1.isEmpty }
        .map { title, body in title + "\n" + body }
        print(sections.joined(separator: "\n"), terminator: "")
    }

    static func json(_ agenda: Agenda, conflicts: ConflictDescriber, now: Date) -> JSONValue {
        let customers = agenda.customers
        let totals = agenda.totals
        return .object([
            "at": .time(now),
            "conflicts": .array(conflicts.conflicts.map(conflicts.json)),
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
                "followUpsComingUp": .integer(totals.followUpsComingUp), "conflicts": .integer(conflicts.conflicts.count),
            ]),
        ])
    }
}
