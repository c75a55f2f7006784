import ArgumentParser
import Foundation
import KeepCore
import KeepStore

/// `keep report`: how well the shop kept its word this month.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "How well promises were kept and customers answered, for a month.",
        discussion: """
            Promises made, kept on time, kept late, cancelled and still overdue, with the kept-on-time rate; inquiries \
            and complaints answered within the reply window, the median and the slowest reply; how complaints ended; \
            customers nobody has been in touch with for --quiet-days; and the kept-on-time rate week by week.
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp("The store file to use (default: $KEEP_STORE, else ~/.local/share/keepword/keep.sqlite).", valueName: "path")
    )
    var store: String?

    @OptionGroup var output: ListOptions

    @Option(help: ArgumentHelp("The month to report on, e.g. 2026-11 (default: this month).", valueName: "yyyy-mm"))
    var month: String?

    @Option(help: ArgumentHelp("Only the promises and replies of this person, as recorded (see keep init --agent).", valueName: "name"))
    var agent: String?

    @Option(help: "Count customers nobody has been in touch with for this many days.")
    var quietDays = 90

    func validate() throws {
        if let month, Self.parseMonth(month) == nil {
            throw ValidationError("--month takes a year and a month, e.g. 2026-11, not \"\(month.prefix(20))\"")
        }
        guard (1...3650).contains(quietDays) else { throw ValidationError("--quiet-days must be between 1 and 3650") }
    }

    func run() throws {
        let session = try Session.open(.store(store))
        let calendar = session.calendar
        let (year, monthNumber) =
            month.flatMap(Self.parseMonth)
            ?? (calendar.component(.year, from: session.now), calendar.component(.month, from: session.now))
        guard let start = calendar.date(from: DateComponents(year: year, month: monthNumber, day: 1)),
            let end = calendar.date(byAdding: .month, value: 1, to: start),
            let chartStart = calendar.date(byAdding: .day, value: -7 * 9, to: min(end, session.now)),
            let monthsStart = calendar.date(byAdding: .month, value: -5, to: start)
        else { throw KeepError("cannot place \(year)-\(monthNumber) in the calendar", status: .usage) }
        if let agent {
            // Who recorded something, and this laptop's own person (whose month may be empty so far).
            let agents = try session.store.agents()
            guard agents.contains(agent) || agent == session.agent else {
                let known = agents.isEmpty ? "nobody has recorded anything yet" : "those who have: " + agents.joined(separator: ", ")
                throw KeepError("no one called \"\(agent)\" has recorded anything in this book (\(known)): check the spelling", status: .dataError)
            }
        }
        let inputs = try session.store.reportInputs(from: min(monthsStart, chartStart), received: start, to: end)
        let report = ShopReport(
            period: String(format: "%04d-%02d", year, monthNumber),
            start: start,
            end: end,
            agent: agent,
            promises: inputs.promises,
            notes: inputs.notes,
            customerNames: inputs.customerNames,
            contacts: inputs.contacts,
            surveys: inputs.surveys,
            quietDays: quietDays,
            replyClock: session.replyClock,
            now: session.now,
            calendar: calendar
        )
        if output.json {
            print(ReportRenderer.json(report).rendered)
        } else {
            print(ReportRenderer(console: session.console, calendar: calendar).render(report, monthName: Self.monthName(start, calendar)))
        }
    }

    static func parseMonth(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), (1970...9999).contains(year),
            (1...12).contains(month)
        else { return nil }
        return (year, month)
    }

    private static func monthName(_ date: Date, _ calendar: Calendar) -> String {
        Format.formatted(date, pattern: "MMMM yyyy", calendar)
    }
}

/// The report as people read it (at most 80 columns) and as JSON (docs/JSON.md).
struct ReportRenderer {
    let console: Console
    let calendar: Calendar

    func render(_ report: ShopReport, monthName: String) -> String {
        var lines = [console.style("\(monthName), \(report.agent.map { "promises and replies of \($0)" } ?? "the whole shop")", .bold), ""]
        let promises = report.promises
        lines.append(console.style("Promises", .bold))
        lines.append(row("made", promises.made))
        var due = [("kept on time", promises.keptOnTime), ("late", promises.keptLate), ("overdue", promises.overdue)]
        if promises.notYetDue > 0 { due.append(("not yet due", promises.notYetDue)) }
        lines.append(row("due", promises.due, promises.due > 0 ? due.map { "\($0.0) \($0.1)" }.joined(separator: ", ") : ""))
        lines.append(row("cancelled", promises.cancelled))
        lines.append(
            row("kept on time", promises.keptOnTimeRate.map(percent) ?? "–", promises.keptOnTimeRate == nil ? "no promise has come due yet" : "")
        )
        lines.append("")
        lines.append(console.style("Inquiries and complaints", .bold))
        lines += replyLines(report.replies)
        lines.append("")
        lines.append(console.style("Complaints", .bold))
        lines += replyLines(report.complaints)
        lines.append("")
        let quiet = report.quietCustomers
        lines.append(console.style("Not in touch for \(quiet.days) days", .bold) + "  \(quiet.count) customers")
        if !quiet.longestQuiet.isEmpty {
            lines.append("  " + TextWidth.truncate(quiet.longestQuiet.prefix(5).joined(separator: ", "), to: 76))
        }
        lines.append("")
        let satisfaction = report.satisfaction
        lines.append(console.style("Satisfaction", .bold))
        if let average = satisfaction.average {
            let spread = satisfaction.scores.enumerated().map { "\($0.offset + 1): \($0.element)" }.joined(separator: "  ")
            lines.append(row("answers", satisfaction.answers, String(format: "average %.1f of 5   ", average) + spread))
        } else {
            lines.append(row("answers", 0))
        }
        lines.append("")
        lines.append(console.style("Month by month", .bold) + "   kept on time   satisfaction")
        for month in report.months {
            let kept = month.keptOnTimeRate.map { "\(percent($0)) (\(month.keptOnTime) of \(month.due))" } ?? "–"
            let answers = month.satisfaction.answers
            let satisfied = month.satisfaction.average.map { String(format: "%.1f (%d answer%@)", $0, answers, answers == 1 ? "" : "s") } ?? "–"
            lines.append("  " + TextWidth.pad(month.month, to: 15) + TextWidth.pad(kept, to: 15) + satisfied)
        }
        lines.append("")
        lines.append(console.style("Kept on time, week by week", .bold))
        for week in report.weeks {
            let label = Self.weekLabel(week.start, calendar)
            guard let rate = week.keptOnTimeRate else {
                lines.append("  \(label)  " + console.style("nothing came due", .dim))
                continue
            }
            let filled = Int((rate * 30).rounded())
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 30 - filled)
            lines.append(
                "  \(label)  \(console.style(bar, rate >= 0.9 ? .green : rate >= 0.7 ? .yellow : .red))  \(percent(rate)) (\(week.keptOnTime) of \(week.due))"
            )
        }
        return lines.joined(separator: "\n")
    }

    private func replyLines(_ figures: ShopReport.ReplyFigures) -> [String] {
        guard figures.received > 0 else { return [row("received", 0)] }
        var outcome = "answered in time \(figures.answeredInTime), late \(figures.answeredLate), waiting \(figures.waiting)"
        if figures.waitingOnCustomer > 0 { outcome += " (\(figures.waitingOnCustomer) paused)" }
        var lines = [row("received", figures.received, outcome)]
        if let median = figures.medianReplySeconds, let slowest = figures.slowestReplySeconds {
            var detail = "slowest \(RelativeTime.duration(slowest))"
            if let customer = figures.slowestCustomer { detail += " (\(customer))" }
            lines.append(row("reply time", RelativeTime.duration(median), "median; " + detail))
        }
        return lines
    }

    /// `  label         value   detail`, within 80 columns.
    private func row(_ label: String, _ value: Int, _ detail: String = "") -> String { row(label, String(value), detail) }

    private func row(_ label: String, _ value: String, _ detail: String = "") -> String {
        let line = "  " + TextWidth.pad(label, to: 14) + TextWidth.pad(value, to: 8) + detail
        return TextWidth.truncate(line.trimmingTrailingSpaces, to: 80)
    }

    private func percent(_ rate: Double) -> String { "\(Int((rate * 100).rounded()))%" }

    static func weekLabel(_ date: Date, _ calendar: Calendar) -> String {
        Format.formatted(date, pattern: "MMM dd", calendar)
    }

    static func json(_ report: ShopReport) -> JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map { .number(($0 * 1000).rounded() / 1000) } ?? .null }
        func replies(_ figures: ShopReport.ReplyFigures) -> JSONValue {
            .object([
                "received": .integer(figures.received), "answeredInTime": .integer(figures.answeredInTime),
                "answeredLate": .integer(figures.answeredLate), "waiting": .integer(figures.waiting),
                "waitingOnCustomer": .integer(figures.waitingOnCustomer),
                "medianReplySeconds": number(figures.medianReplySeconds), "slowestReplySeconds": number(figures.slowestReplySeconds),
                "slowestCustomer": .optional(figures.slowestCustomer),
            ])
        }
        func satisfactionJSON(_ figures: ShopReport.Satisfaction) -> JSONValue {
            .object([
                "answers": .integer(figures.answers), "average": number(figures.average),
                "scores": .array(figures.scores.map(JSONValue.integer)),
            ])
        }
        let promises = report.promises
        return .object([
            "period": .string(report.period), "start": .time(report.start), "end": .time(report.end), "agent": .optional(report.agent),
            "promises": .object([
                "made": .integer(promises.made), "due": .integer(promises.due), "keptOnTime": .integer(promises.keptOnTime),
                "keptLate": .integer(promises.keptLate), "overdue": .integer(promises.overdue), "notYetDue": .integer(promises.notYetDue),
                "cancelled": .integer(promises.cancelled), "keptOnTimeRate": number(promises.keptOnTimeRate),
            ]),
            "replies": replies(report.replies),
            "complaints": replies(report.complaints),
            "quietCustomers": .object([
                "days": .integer(report.quietCustomers.days), "count": .integer(report.quietCustomers.count),
                "longestQuiet": .array(report.quietCustomers.longestQuiet.map(JSONValue.string)),
            ]),
            "satisfaction": satisfactionJSON(report.satisfaction),
            "months": .array(
                report.months.map { month in
                    .object([
                        "month": .string(month.month), "start": .time(month.start), "due": .integer(month.due),
                        "keptOnTime": .integer(month.keptOnTime), "keptOnTimeRate": number(month.keptOnTimeRate),
                        "satisfaction": satisfactionJSON(month.satisfaction),
                    ])
                }
            ),
            "weeks": .array(
                report.weeks.map { week in
                    .object([
                        "start": .time(week.start), "due": .integer(week.due), "keptOnTime": .integer(week.keptOnTime),
                        "keptOnTimeRate": number(week.keptOnTimeRate),
                    ])
                }
            ),
        ])
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
