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
    let console: Console

    /// Opens the store named by the options (or the environment) for a command.
    static func open(_ options: GlobalOptions) throws -> Session {
        let path = StoreLocation.resolve(explicit: options.store)
        let store: ReplicaStore
        do {
            let environment = ProcessInfo.processInfo.environment
            let lockTimeout = environment["KEEP_LOCK_TIMEOUT"].flatMap(TimeInterval.init) ?? ReplicaStore.defaultLockTimeout
            store = try ReplicaStore.open(at: path, lockTimeout: lockTimeout)
        } catch {
            throw KeepError(error)
        }
        return try Session(store: store, agentOverride: options.agent)
    }

    init(store: ReplicaStore, agentOverride: String?) throws {
        self.store = store
        self.now = Date()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        self.calendar = calendar
        do {
            self.agent = try agentOverride.map(Validate.agent) ?? store.setting(.agent)
            let hours = Double(try store.setting(.replyWindowHours)) ?? 24
            // Settings are validated when set; a value that no longer reads (edited by hand) means every hour counts.
            let openingHours = try? OpeningHours(
                timetable: try store.setting(.openingHours),
                closed: (try? OpeningHours.closedDays(try store.setting(.closedDays))) ?? []
            )
            self.replyClock = ReplyClock(window: hours * 3600, hours: openingHours, calendar: calendar)
            self.workdayEnd = DayTime(parsing: try store.setting(.workdayEnd)) ?? DayTime(hour: 17, minute: 0)
        } catch let error as StoreError {
            throw KeepError(error)
        }
        self.console = Console()
    }

    var whenParser: WhenParser { WhenParser(now: now, calendar: calendar, workdayEnd: workdayEnd) }

    /// The end of the local day containing `now`.
    var endOfToday: Date {
        let startOfTomorrow = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now)) ?? now
        return startOfTomorrow.addingTimeInterval(-0.001)
    }

    /// Runs local writes as one transaction by this session's agent.
    func write<T>(_ body: (inout LocalWriter) throws -> T) throws -> T {
        do {
            return try store.write(agent: agent, now: now, body)
        } catch let error as StoreError {
            throw KeepError(error)
        }
    }

    /// Runs a store read, turning its failure into a message for the shop owner.
    func read<T>(_ body: (ReplicaStore) throws(StoreError) -> T) throws -> T {
        do {
            return try body(store)
        } catch {
            throw KeepError(error)
        }
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
