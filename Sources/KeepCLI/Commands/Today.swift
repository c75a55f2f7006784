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

    func validate() throws {
        guard (0...366).contains(days) else { throw ValidationError("--days must be between 0 and 366") }
    }

    func run() throws {
        let session = try Session.open(global)
        let lookAhead = session.calendar.date(byAdding: .day, value: days, to: session.endOfToday) ?? session.endOfToday
        let agenda = try session.read { store throws(StoreError) in
            try store.agenda(now: session.now, endOfToday: session.endOfToday, lookAhead: lookAhead)
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
        var sections: [String] = []
        if !agenda.overduePromises.isEmpty {
            sections.append(
                console.style("Overdue promises (\(agenda.overduePromises.count))", .boldRed) + "\n"
                    + renderer.promiseTable(agenda.overduePromises, showCustomer: true)
            )
        }
        if !agenda.repliesOwed.isEmpty {
            sections.append(console.style("Replies owed (\(agenda.repliesOwed.count))", .bold) + "\n" + renderer.replyTable(agenda.repliesOwed))
        }
        if !agenda.promisesDueToday.isEmpty || !agenda.followUpsDueToday.isEmpty {
            var section = console.style("Due today", .bold) + "\n"
            if !agenda.promisesDueToday.isEmpty { section += renderer.promiseTable(agenda.promisesDueToday, showCustomer: true) }
            if !agenda.followUpsDueToday.isEmpty { section += renderer.followUpTable(agenda.followUpsDueToday, showCustomer: true) }
            sections.append(section)
        }
        if !agenda.promisesComingUp.isEmpty || !agenda.followUpsComingUp.isEmpty {
            var section = console.style("Coming up in the next \(days) days", .bold) + "\n"
            if !agenda.promisesComingUp.isEmpty { section += renderer.promiseTable(agenda.promisesComingUp, showCustomer: true) }
            if !agenda.followUpsComingUp.isEmpty { section += renderer.followUpTable(agenda.followUpsComingUp, showCustomer: true) }
            sections.append(section)
        }
        print(sections.joined(separator: "\n"), terminator: "")
    }

    static func json(_ agenda: Agenda, now: Date) -> JSONValue {
        let customers = agenda.customers
        return .object([
            "at": .time(now),
            "overduePromises": .array(agenda.overduePromises.map { JSONShape.promise($0, customers: customers, now: now) }),
            "repliesOwed": .array(agenda.repliesOwed.map { JSONShape.note($0, customers: customers, now: now) }),
            "promisesDueToday": .array(agenda.promisesDueToday.map { JSONShape.promise($0, customers: customers, now: now) }),
            "followUpsDueToday": .array(agenda.followUpsDueToday.map { JSONShape.followUp($0, customers: customers, now: now) }),
            "promisesComingUp": .array(agenda.promisesComingUp.map { JSONShape.promise($0, customers: customers, now: now) }),
            "followUpsComingUp": .array(agenda.followUpsComingUp.map { JSONShape.followUp($0, customers: customers, now: now) }),
        ])
    }
}
