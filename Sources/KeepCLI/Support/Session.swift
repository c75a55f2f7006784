import Foundation
import KeepCore
import KeepStore

/// An open store plus what commands need around it: the clock, the shop's calendar, the agent and the console.
struct Session {
    let store: ReplicaStore
    let now: Date
    let calendar: Calendar
    let agent: String
    /// The reply window, counted in opening hours when the shop has set them.
    let replyClock: ReplyClock
    let workdayEnd: DayTime
    /// How this laptop's locale writes dates in numbers, for reading 04/12/2026.
    let dateOrder: DateOrder
    let console: Console

    /// Opens the store named by the options (or the environment) for a command.
    static func open(_ options: GlobalOptions) throws -> Session {
        let path = StoreLocation.resolve(explicit: options.store)
        let environment = ProcessInfo.processInfo.environment
        let lockTimeout = environment["KEEP_LOCK_TIMEOUT"].flatMap(TimeInterval.init) ?? ReplicaStore.defaultLockTimeout
        return try Session(store: ReplicaStore.open(at: path, lockTimeout: lockTimeout), agentOverride: options.agent)
    }

    init(store: ReplicaStore, agentOverride: String?) throws {
        self.store = store
        self.now = Date()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        self.calendar = calendar
        let settings = try store.snapshot { store in
            (
                agent: try store.setting(.agent), replyWindowHours: try store.setting(.replyWindowHours),
                openingHours: try store.setting(.openingHours), closedDays: try store.setting(.closedDays),
                workdayEnd: try store.setting(.workdayEnd)
            )
        }
        self.agent = try agentOverride.map(Validate.agent) ?? settings.agent
        let hours = Double(settings.replyWindowHours) ?? 24
        // Settings are validated when set; a value that no longer reads (edited by hand) means every hour counts.
        let openingHours = try? OpeningHours(
            timetable: settings.openingHours,
            closed: (try? OpeningHours.closedDays(settings.closedDays)) ?? []
        )
        self.replyClock = ReplyClock(window: hours * 3600, hours: openingHours, calendar: calendar)
        self.workdayEnd = DayTime(parsing: settings.workdayEnd) ?? DayTime(hour: 17, minute: 0)
        self.dateOrder = DateOrder(environment: ProcessInfo.processInfo.environment)
        self.console = Console()
    }

    var whenParser: WhenParser { WhenParser(now: now, calendar: calendar, workdayEnd: workdayEnd, dateOrder: dateOrder) }

    /// The end of the local day containing `now`.
    var endOfToday: Date {
        let startOfTomorrow = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now)) ?? now
        return startOfTomorrow.addingTimeInterval(-0.001)
    }

    /// Runs local writes as one transaction by this session's agent.
    func write<T>(_ body: (inout LocalWriter) throws -> T) throws -> T {
        try store.write(agent: agent, now: now, body)
    }

    /// Records and the customers they belong to, read in one snapshot so that every record finds its customer.
    func withCustomers<Record>(
        _ records: (ReplicaStore) throws -> [Record],
        of customer: (Record) -> RecordID?
    ) throws(StoreError) -> ([Record], [RecordID: Customer]) {
        try store.snapshot { store in
            let list = try records(store)
            return (list, try store.customers(ids: list.compactMap(customer)))
        }
    }

    /// A text the person gave as an argument, on standard input or in $EDITOR, checked as every text is.
    func text(_ argument: String?, what: String) throws -> String {
        try Validate.text(TextInput.read(argument, console: console, what: what), what: what)
    }

    /// Parses a due time, refusing the past unless allowed.
    func dueDate(_ text: String, allowPast: Bool) throws -> Date {
        let date: Date
        do {
            date = try whenParser.parse(text)
        } catch {
            throw KeepError(error.description, status: .usage)
        }
        try refusePast(date, text: text, allowPast: allowPast)
        return date
    }

    func refusePast(_ date: Date, text: String, allowPast: Bool) throws {
        guard allowPast || date >= now else {
            throw KeepError(
                "\"\(text)\" is \(Format.dateTime(date, calendar)), which has already passed: give a later time, or add --allow-past to record it anyway",
                status: .usage
            )
        }
    }
}
