import Foundation
import KeepCore
import KeepTestSupport
import Testing

@testable import KeepStore

/// `keep report`'s figures against a store whose answers were worked out by hand (in the comments).
@Suite("Report")
struct ReportTests {
    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    /// 2026-MM-DD HH:00 UTC.
    private static func day(_ month: Int, _ day: Int, _ hour: Int = 12) -> Date {
        calendar.date(from: DateComponents(year: 2026, month: month, day: day, hour: hour))!
    }

    /// Times go through the store as milliseconds, so durations are compared to the millisecond.
    private static func seconds(_ value: Double?, equal expected: Double) -> Bool {
        value.map { abs($0 - expected) < 0.001 } ?? false
    }

    private struct Shop {
        let store: ReplicaStore
        let folder = TemporaryFolder()

        init() throws {
            store = try ReplicaStore.create(at: folder.file("shop.sqlite"), agent: "test")
        }

        func customer(_ name: String, added: Date) throws -> RecordID {
            try store.write(agent: "test", now: added) {
                try $0.create(.customer, Customer.creation(name: name, phone: nil, email: nil, at: added, by: "test"))
            }
        }

        /// A promise made at `made`, due at `due`, then kept or cancelled at the given time.
        func promise(_ customer: RecordID, by: String, made: Date, due: Date, kept: Date? = nil, cancelled: Date? = nil) throws {
            try store.write(agent: by, now: made) { writer in
                let id = try writer.create(.promise, Promise.creation(customer: customer, text: "…", dueAt: due, at: made, by: by))
                if let kept { try writer.update(id, kind: .promise, Promise.keeping(at: kept, by: by)) }
                if let cancelled { try writer.update(id, kind: .promise, Promise.cancelling(reason: "no stock", at: cancelled)) }
            }
        }

        func inquiry(_ customer: RecordID, _ kind: Note.Kind, at: Date, answered: Date? = nil, by: String) throws {
            try store.write(agent: by, now: at) { writer in
                let id = try writer.create(
                    .note,
                    Note.creation(customer: customer, kind: kind, channel: .phone, text: "…", author: by, at: at, replyDueAt: at + 86_400)
                )
                if let answered { try writer.update(id, kind: .note, Note.answering(at: answered, by: by, answer: nil)) }
            }
        }

        func survey(_ customer: RecordID, score: Int, at: Date, by: String) throws {
            try store.write(agent: by, now: at) { writer in
                _ = try writer.create(.survey, Survey.creation(customer: customer, score: score, text: nil, at: at, by: by))
            }
        }

        func report(agent: String? = nil) throws -> ShopReport {
            let inputs = try store.reportInputs(from: day(6, 1, 0), received: day(11, 1, 0), to: day(12, 1, 0))
            return ShopReport(
                period: "2026-11",
                start: day(11, 1, 0),
                end: day(12, 1, 0),
                agent: agent,
                promises: inputs.promises,
                notes: inputs.notes,
                customerNames: inputs.customerNames,
                contacts: inputs.contacts,
                surveys: inputs.surveys,
                quietDays: 90,
                now: day(11, 20),
                calendar: calendar
            )
        }
    }

    /// November 2026, reported on the 20th at noon.
    private func november() throws -> Shop {
        let shop = try Shop()
        let maria = try shop.customer("Μαρία Παπαδοπούλου", added: Self.day(1, 5))
        let jonas = try shop.customer("Jonas Petraitis", added: Self.day(1, 5))
        _ = try shop.customer("مریم احمدی", added: Self.day(1, 5))  // never in touch since January: quiet
        _ = try shop.customer("Νίκος Γεωργίου", added: Self.day(11, 10))  // new this month: not quiet
        // Due in November and not cancelled: p1 on time, p2 late, p3 overdue, p4 not yet due. p5 cancelled; p6 in October.
        try shop.promise(maria, by: "ana", made: Self.day(10, 25), due: Self.day(11, 3), kept: Self.day(11, 2))
        try shop.promise(jonas, by: "bo", made: Self.day(11, 2), due: Self.day(11, 5), kept: Self.day(11, 6))
        try shop.promise(maria, by: "ana", made: Self.day(11, 4), due: Self.day(11, 10))
        try shop.promise(jonas, by: "ana", made: Self.day(11, 5), due: Self.day(11, 25))
        try shop.promise(jonas, by: "bo", made: Self.day(11, 6), due: Self.day(11, 15), cancelled: Self.day(11, 8))
        try shop.promise(maria, by: "ana", made: Self.day(10, 1), due: Self.day(10, 20), kept: Self.day(10, 19))
        // Received in November: an inquiry answered in 3 h, a complaint answered after 48 h (late), one waiting.
        try shop.inquiry(maria, .inquiry, at: Self.day(11, 3, 10), answered: Self.day(11, 3, 13), by: "ana")
        try shop.inquiry(jonas, .complaint, at: Self.day(11, 7, 9), answered: Self.day(11, 9, 9), by: "bo")
        try shop.inquiry(maria, .inquiry, at: Self.day(11, 19, 9), by: "ana")
        try shop.inquiry(jonas, .inquiry, at: Self.day(10, 30), answered: Self.day(11, 1), by: "bo")  // received in October
        // Satisfaction: November 5, 4 and 2 (average 3.67); October 3.
        try shop.survey(maria, score: 5, at: Self.day(11, 4), by: "ana")
        try shop.survey(jonas, score: 4, at: Self.day(11, 12), by: "bo")
        try shop.survey(jonas, score: 2, at: Self.day(11, 18), by: "bo")
        try shop.survey(maria, score: 3, at: Self.day(10, 10), by: "ana")
        return shop
    }

    @Test("promises: made 4, due 4 (1 on time, 1 late, 1 overdue, 1 not yet due), cancelled 1, kept on time 1 of 3")
    func promiseFigures() throws {
        let report = try november().report()
        let promises = report.promises
        #expect(promises.made == 4)
        #expect(promises.due == 4)
        #expect(promises.keptOnTime == 1 && promises.keptLate == 1 && promises.overdue == 1 && promises.notYetDue == 1)
        #expect(promises.cancelled == 1)
        #expect(promises.keptOnTimeRate == 1.0 / 3.0)
    }

    @Test("replies: 3 received, 1 in time, 1 late, 1 waiting, median 25.5 h, slowest 48 h (Jonas); complaints: the late one")
    func replyFigures() throws {
        let report = try november().report()
        #expect(report.replies.received == 3)
        #expect(report.replies.answeredInTime == 1 && report.replies.answeredLate == 1 && report.replies.waiting == 1)
        #expect(Self.seconds(report.replies.medianReplySeconds, equal: 25.5 * 3600))
        #expect(Self.seconds(report.replies.slowestReplySeconds, equal: 48 * 3600))
        #expect(report.replies.slowestCustomer == "Jonas Petraitis")
        #expect(report.complaints.received == 1 && report.complaints.answeredLate == 1 && report.complaints.waiting == 0)
        #expect(Self.seconds(report.complaints.medianReplySeconds, equal: 48 * 3600))
    }

    @Test("quiet customers: only the one nobody has been in touch with since January")
    func quietCustomers() throws {
        let report = try november().report()
        #expect(report.quietCustomers.count == 1)
        #expect(report.quietCustomers.longestQuiet == ["مریم احمدی"])
    }

    @Test("week by week: Oct 19 1 of 1, Nov 2 1 of 2, Nov 9 0 of 1, the other weeks nothing due")
    func weeks() throws {
        let weeks = try november().report().weeks
        #expect(weeks.count == 8)
        #expect(weeks.first?.start == Self.day(9, 28, 0) && weeks.last?.start == Self.day(11, 16, 0))
        let byStart = Dictionary(uniqueKeysWithValues: weeks.map { ($0.start, ($0.keptOnTime, $0.due)) })
        #expect(byStart[Self.day(10, 19, 0)]! == (1, 1))
        #expect(byStart[Self.day(11, 2, 0)]! == (1, 2))
        #expect(byStart[Self.day(11, 9, 0)]! == (0, 1))
        #expect(weeks.filter { $0.due == 0 }.count == 5)
    }

    @Test("for one person: ana made 2, had 3 due (1 on time, 1 overdue, 1 not yet due); answered or wrote 2 inquiries")
    func onePerson() throws {
        let report = try november().report(agent: "ana")
        #expect(report.promises.made == 2)
        #expect(report.promises.due == 3 && report.promises.keptOnTime == 1 && report.promises.overdue == 1 && report.promises.notYetDue == 1)
        #expect(report.promises.keptOnTimeRate == 0.5)
        #expect(report.promises.cancelled == 0)
        #expect(report.replies.received == 2 && report.replies.answeredInTime == 1 && report.replies.waiting == 1)
        #expect(report.complaints.received == 0)
    }

    @Test("satisfaction: 3 answers in November averaging 11/3, and month by month beside kept promises")
    func satisfactionByMonth() throws {
        let report = try november().report()
        #expect(report.satisfaction.answers == 3)
        #expect(abs((report.satisfaction.average ?? 0) - 11.0 / 3.0) < 1e-9)
        #expect(report.satisfaction.scores == [0, 1, 0, 1, 1])
        #expect(report.months.map(\.month) == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"])
        let october = try #require(report.months.first { $0.month == "2026-10" })
        #expect(october.due == 1 && october.keptOnTime == 1, "p6, kept the day before")
        #expect(october.satisfaction.answers == 1 && october.satisfaction.average == 3)
        let thisMonth = try #require(report.months.last)
        #expect(thisMonth.due == 3 && thisMonth.keptOnTime == 1, "p1 on time, p2 late, p3 overdue; p4 not yet due")
        #expect(report.months.prefix(4).allSatisfy { $0.due == 0 && $0.satisfaction.answers == 0 })
        #expect(try self.november().report(agent: "bo").satisfaction.answers == 2)
    }
}
