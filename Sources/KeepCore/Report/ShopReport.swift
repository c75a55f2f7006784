public import Foundation

/// How well the shop kept its word over one period: `keep report`.
///
/// Pure: made from the promises, inquiries and complaints, and customers' last contacts that the store hands
/// over, so that every figure can be checked against a store computed by hand.
public struct ShopReport: Sendable, Hashable, Codable {
    /// The period reported on, `[start, end)`, and its name (`2026-11`).
    public var period: String
    public var start: Date
    public var end: Date
    /// Only this person's promises and replies; nil for the whole shop.
    public var agent: String?
    public var promises: PromiseFigures
    /// Inquiries and complaints received in the period.
    public var replies: ReplyFigures
    /// Complaints received in the period, and how they ended.
    public var complaints: ReplyFigures
    public var quietCustomers: QuietCustomers
    /// The kept-on-time rate of the weeks up to the period's end, oldest first.
    public var weeks: [WeekFigures]
    /// Survey answers given in the period.
    public var satisfaction: Satisfaction
    /// Kept promises and satisfaction side by side, month by month, ending with the period; oldest first.
    public var months: [MonthFigures]

    public struct Satisfaction: Sendable, Hashable, Codable {
        public var answers = 0
        /// The mean score, 1 to 5; nil without answers.
        public var average: Double?
        /// How many answered 1, 2, 3, 4 and 5.
        public var scores = [0, 0, 0, 0, 0]
    }

    public struct MonthFigures: Sendable, Hashable, Codable {
        /// `2026-11`.
        public var month: String
        public var start: Date
        /// Promises due in the month (not cancelled) whose due time has passed, and those kept on time.
        public var due: Int
        public var keptOnTime: Int
        public var keptOnTimeRate: Double? { due == 0 ? nil : Double(keptOnTime) / Double(due) }
        public var satisfaction: Satisfaction
    }

    public struct PromiseFigures: Sendable, Hashable, Codable {
        /// Made in the period.
        public var made = 0
        /// Due in the period and not cancelled.
        public var due = 0
        /// Of those due: kept by their due time, kept after it, open past it (overdue), and open but not yet due.
        public var keptOnTime = 0
        public var keptLate = 0
        public var overdue = 0
        public var notYetDue = 0
        /// Cancelled in the period.
        public var cancelled = 0
        /// Kept on time among those due whose due time has passed; nil when none has.
        public var keptOnTimeRate: Double?
    }

    public struct ReplyFigures: Sendable, Hashable, Codable {
        public var received = 0
        /// Answered by the time the reply was owed.
        public var answeredInTime = 0
        public var answeredLate = 0
        /// Not answered yet.
        public var waiting = 0
        /// Of those not answered, how many wait on the customer, with the reply clock paused.
        public var waitingOnCustomer = 0
        /// From receiving to answering, in seconds of the reply clock (open time, when the shop has opening hours),
        /// over those answered; nil when none was.
        public var medianReplySeconds: Double?
        public var slowestReplySeconds: Double?
        /// The customer who waited longest for an answer.
        public var slowestCustomer: String?
    }

    public struct QuietCustomers: Sendable, Hashable, Codable {
        /// Not contacted (no note, inquiry, reply, complaint or promise) for this many days.
        public var days: Int
        public var count = 0
        /// The longest quiet first, at most ten.
        public var longestQuiet: [String] = []
    }

    public struct WeekFigures: Sendable, Hashable, Codable {
        /// The Monday the week starts on.
        public var start: Date
        /// Promises that came due in the week, not cancelled, whose due time has passed.
        public var due: Int
        public var keptOnTime: Int
        public var keptOnTimeRate: Double? { due == 0 ? nil : Double(keptOnTime) / Double(due) }
    }

    /// A customer and when they were last in touch with the shop (nil if never since being added).
    public struct Contact: Sendable, Hashable {
        public var name: String
        public var addedAt: Date
        public var lastContact: Date?

        public init(name: String, addedAt: Date, lastContact: Date?) {
            self.name = name
            self.addedAt = addedAt
            self.lastContact = lastContact
        }
    }

    /// The report over `[start, end)`, as of `now`.
    ///
    /// - Parameters:
    ///   - promises: every promise that could count: made, due, kept or cancelled from the first week shown on.
    ///   - notes: the inquiries and complaints that could count (other kinds are ignored).
    ///   - customerNames: names by customer id, for the slowest reply.
    ///   - contacts: every customer with their last contact, for the quiet ones.
    ///   - weeks: how many weeks the chart shows, ending with the one that holds the period's end.
    ///   - replyClock: counts reply times in opening hours; nil counts every hour.
    public init(
        period: String,
        start: Date,
        end: Date,
        agent: String?,
        promises: [Promise],
        notes: [Note],
        customerNames: [RecordID: String],
        contacts: [Contact],
        surveys: [Survey] = [],
        quietDays: Int,
        weeks: Int = 8,
        months: Int = 6,
        replyClock: ReplyClock? = nil,
        now: Date,
        calendar: Calendar
    ) {
        self.period = period
        self.start = start
        self.end = end
        self.agent = agent
        let period = start..<end
        let promises = agent.map { agent in promises.filter { $0.promisedBy == agent } } ?? promises
        let notes = notes.filter { $0.kind.owesReply && (agent == nil || $0.author == agent || $0.answeredBy == agent) }

        var figures = PromiseFigures()
        for promise in promises {
            if period.contains(promise.madeAt) { figures.made += 1 }
            if let cancelledAt = promise.cancelledAt, promise.status == .cancelled, period.contains(cancelledAt) { figures.cancelled += 1 }
            guard period.contains(promise.dueAt), promise.status != .cancelled else { continue }
            figures.due += 1
            switch Self.outcome(promise, now: now) {
            case .keptOnTime: figures.keptOnTime += 1
            case .keptLate: figures.keptLate += 1
            case .overdue: figures.overdue += 1
            case .notYetDue: figures.notYetDue += 1
            }
        }
        let settled = figures.keptOnTime + figures.keptLate + figures.overdue
        figures.keptOnTimeRate = settled == 0 ? nil : Double(figures.keptOnTime) / Double(settled)
        self.promises = figures

        let received = notes.filter { period.contains($0.at) }
        replies = Self.replies(received, names: customerNames, clock: replyClock)
        complaints = Self.replies(received.filter { $0.kind == .complaint }, names: customerNames, clock: replyClock)

        var quiet = QuietCustomers(days: quietDays)
        let cutoff = now.addingTimeInterval(-Double(quietDays) * 86_400)
        let quietOnes = contacts.filter { ($0.lastContact ?? $0.addedAt) < cutoff }
        quiet.count = quietOnes.count
        quiet.longestQuiet = quietOnes.sorted { ($0.lastContact ?? $0.addedAt, $0.name) < ($1.lastContact ?? $1.addedAt, $1.name) }.prefix(10).map(
            \.name
        )
        quietCustomers = quiet

        self.weeks = Self.weeks(weeks, endingAt: min(end, now), promises: promises, now: now, calendar: calendar)

        let surveys = agent.map { agent in surveys.filter { $0.by == agent } } ?? surveys
        satisfaction = Self.satisfaction(surveys.filter { period.contains($0.at) })
        self.months = (0..<months).reversed().compactMap { back -> MonthFigures? in
            guard let monthStart = calendar.date(byAdding: .month, value: -back, to: start),
                let monthEnd = calendar.date(byAdding: .month, value: 1, to: monthStart)
            else { return nil }
            let month = monthStart..<monthEnd
            let due = promises.filter { $0.status != .cancelled && month.contains($0.dueAt) && $0.dueAt < now }
            let components = calendar.dateComponents([.year, .month], from: monthStart)
            return MonthFigures(
                month: String(format: "%04d-%02d", components.year ?? 0, components.month ?? 0),
                start: monthStart,
                due: due.count,
                keptOnTime: due.filter { Self.outcome($0, now: now) == .keptOnTime }.count,
                satisfaction: Self.satisfaction(surveys.filter { month.contains($0.at) })
            )
        }
    }

    private static func satisfaction(_ surveys: [Survey]) -> Satisfaction {
        var figures = Satisfaction()
        for survey in surveys where Survey.scores.contains(survey.score) {
            figures.answers += 1
            figures.scores[survey.score - 1] += 1
        }
        if figures.answers > 0 {
            figures.average = Double(surveys.map(\.score).reduce(0, +)) / Double(figures.answers)
        }
        return figures
    }

    private enum Outcome {
        case keptOnTime, keptLate, overdue, notYetDue
    }

    private static func outcome(_ promise: Promise, now: Date) -> Outcome {
        if promise.status == .kept {
            return (promise.keptAt ?? promise.dueAt) <= promise.dueAt ? .keptOnTime : .keptLate
        }
        return promise.dueAt < now ? .overdue : .notYetDue
    }

    private static func replies(_ notes: [Note], names: [RecordID: String], clock: ReplyClock?) -> ReplyFigures {
        var figures = ReplyFigures()
        var durations: [(seconds: Double, customer: RecordID)] = []
        for note in notes {
            figures.received += 1
            guard let answeredAt = note.answeredAt else {
                figures.waiting += 1
                if note.waitingSince != nil { figures.waitingOnCustomer += 1 }
                continue
            }
            if answeredAt <= (note.replyDueAt ?? .distantFuture) { figures.answeredInTime += 1 } else { figures.answeredLate += 1 }
            let seconds = clock?.elapsed(from: note.at, to: answeredAt) ?? answeredAt.timeIntervalSince(note.at)
            durations.append((max(0, seconds), note.customerID))
        }
        let sorted = durations.map(\.seconds).sorted()
        if !sorted.isEmpty {
            let middle = sorted.count / 2
            figures.medianReplySeconds = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
            let slowest = durations.max { $0.seconds < $1.seconds }
            figures.slowestReplySeconds = slowest?.seconds
            figures.slowestCustomer = slowest.flatMap { names[$0.customer] }
        }
        return figures
    }

    private static func weeks(_ count: Int, endingAt end: Date, promises: [Promise], now: Date, calendar: Calendar) -> [WeekFigures] {
        var calendar = calendar
        calendar.firstWeekday = 2
        guard count > 0, let last = calendar.dateInterval(of: .weekOfYear, for: end.addingTimeInterval(-0.001))?.start else { return [] }
        return (0..<count).reversed().compactMap { back -> WeekFigures? in
            guard let start = calendar.date(byAdding: .weekOfYear, value: -back, to: last),
                let weekEnd = calendar.date(byAdding: .weekOfYear, value: 1, to: start)
            else { return nil }
            let due = promises.filter { $0.status != .cancelled && (start..<weekEnd).contains($0.dueAt) && $0.dueAt < now }
            return WeekFigures(start: start, due: due.count, keptOnTime: due.filter { outcome($0, now: now) == .keptOnTime }.count)
        }
    }
}
