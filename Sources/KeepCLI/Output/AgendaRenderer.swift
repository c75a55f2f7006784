import Foundation
import KeepCore

/// Tables of promises, replies owed, follow-ups and notes, as `keep today` and the lists show them.
struct AgendaRenderer {
    let session: Session
    let customers: [RecordID: Customer]

    private var console: Console { session.console }
    private var now: Date { session.now }

    private func customerName(_ id: RecordID) -> String { customers[id]?.name ?? "(\(id.short))" }

    private func when(_ date: Date) -> String { Format.dateTime(date, session.calendar, now: now) }

    private func render(_ table: TextTable) -> String { table.render(maxWidth: console.width, boldHeader: console.useColor) }

    func promiseTable(_ promises: [Promise], showCustomer: Bool) -> String {
        var columns: [TextTable.Column] = [.init("PROMISE")]
        if showCustomer { columns.append(.init("CUSTOMER", flexible: true)) }
        columns += [.init("DUE"), .init("STATUS"), .init("WHAT", flexible: true)]
        var table = TextTable(columns: columns)
        for promise in promises {
            var row = [promise.id.short]
            if showCustomer { row.append(customerName(promise.customerID)) }
            row += [when(promise.dueAt), status(of: promise), Format.oneLine(promise.text)]
            table.append(row)
        }
        return render(table)
    }

    private func status(of promise: Promise) -> String {
        switch promise.status {
        case .open where promise.isOverdue(now: now):
            console.style(Format.relative(promise.dueAt, now: now).replacingOccurrences(of: " ago", with: " late"), .red)
        case .open:
            Format.relative(promise.dueAt, now: now)
        case .kept:
            promise.wasKeptLate ? console.style("kept late", .yellow) : console.style("kept", .green)
        case .cancelled:
            "cancelled"
        }
    }

    func replyTable(_ notes: [Note]) -> String {
        var table = TextTable(columns: [
            .init("INQUIRY"), .init("CUSTOMER", flexible: true), .init("REPLY BY"), .init("LEFT"), .init("ASKED", flexible: true),
        ])
        for note in notes {
            let due = note.replyDueAt ?? note.at
            let left =
                note.isWaitingOnCustomer
                ? console.style("paused", .dim)
                : due < now
                    ? console.style(Format.relative(due, now: now).replacingOccurrences(of: " ago", with: " late"), .red)
                    : Format.relative(due, now: now)
            let text = (note.kind == .complaint ? "complaint: " : "") + Format.oneLine(note.text)
            table.append([note.id.short, customerName(note.customerID), when(due), left, text])
        }
        return render(table)
    }

    /// Inquiries paused while the shop waits on the customer: who, since when, and what they asked.
    func waitingTable(_ notes: [Note]) -> String {
        var table = TextTable(columns: [.init("INQUIRY"), .init("CUSTOMER", flexible: true), .init("WAITING SINCE"), .init("ASKED", flexible: true)])
        for note in notes {
            let text = (note.kind == .complaint ? "complaint: " : "") + Format.oneLine(note.text)
            table.append([note.id.short, customerName(note.customerID), when(note.waitingSince ?? note.at), text])
        }
        return render(table)
    }

    func followUpTable(_ followUps: [FollowUp], showCustomer: Bool) -> String {
        var columns: [TextTable.Column] = [.init("FOLLOW-UP")]
        if showCustomer { columns.append(.init("CUSTOMER", flexible: true)) }
        columns += [.init("DUE"), .init("STATUS"), .init("WHAT", flexible: true)]
        var table = TextTable(columns: columns)
        for followUp in followUps {
            var row = [followUp.id.short]
            if showCustomer { row.append(customerName(followUp.customerID)) }
            let status =
                followUp.status == .open
                ? (followUp.isOverdue(now: now)
                    ? console.style(Format.relative(followUp.dueAt, now: now).replacingOccurrences(of: " ago", with: " late"), .red)
                    : Format.relative(followUp.dueAt, now: now))
                : followUp.status.rawValue
            row += [when(followUp.dueAt), status, Format.oneLine(followUp.text)]
            table.append(row)
        }
        return render(table)
    }

    func noteTable(_ notes: [Note]) -> String {
        var table = TextTable(columns: [.init("NOTE"), .init("WHEN"), .init("KIND"), .init("BY"), .init("TEXT", flexible: true)])
        for note in notes {
            var kind = note.kind.rawValue
            if let channel = note.channel { kind += " (\(channel.rawValue))" }
            if note.kind.owesReply { kind += note.answeredAt == nil ? ", owed" : ", answered" }
            table.append([note.id.short, when(note.at), kind, note.author, Format.oneLine(note.text)])
        }
        return render(table)
    }
}
