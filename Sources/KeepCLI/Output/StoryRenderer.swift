import Foundation
import KeepCore

/// A customer's story as a person reads it: every note, inquiry, reply, promise, follow-up, purchase and survey in
/// time order, each text whole and wrapped to the terminal.
struct StoryRenderer {
    let session: Session
    /// The columns a text may use: the terminal's, at most 100 for reading, 80 in a pipe.
    let width: Int

    init(session: Session) {
        self.session = session
        width = min(session.console.width ?? 80, 100)
    }

    /// One happening of the story: when, what, who, and its words.
    struct Entry {
        let at: Date
        let ref: RecordID
        let title: String
        let who: String
        let text: String
        var details: [String] = []
    }

    /// The entries of a customer's records, oldest first.
    func entries(_ records: CustomerRecords) -> [Entry] {
        var entries = records.notes.map(entry)
        entries += records.promises.map(entry)
        entries += records.followUps.map { followUp in
            Entry(
                at: followUp.createdAt,
                ref: followUp.id,
                title: "follow-up (\(followUp.status.rawValue)), due \(time(followUp.dueAt))",
                who: followUp.createdBy,
                text: followUp.text,
                details: followUp.doneAt.map { ["done \(time($0)) by \(followUp.doneBy ?? "")"] } ?? []
            )
        }
        entries += records.purchases.map { purchase in
            Entry(
                at: purchase.at,
                ref: purchase.id,
                title: "purchase" + (purchase.amount.map { ", \($0)" } ?? ""),
                who: purchase.by,
                text: purchase.item
            )
        }
        entries += records.surveys.map { survey in
            Entry(at: survey.at, ref: survey.id, title: "survey, \(survey.score) of 5", who: survey.by, text: survey.text ?? "")
        }
        return entries.sorted { ($0.at, $0.ref.rawValue) < ($1.at, $1.ref.rawValue) }
    }

    func entry(_ note: Note) -> Entry {
        var details: [String] = []
        if let channel = note.channel { details.append("by \(channel.rawValue)") }
        if note.kind.owesReply {
            if let answered = note.answeredAt {
                details.append("answered \(time(answered)) by \(note.answeredBy ?? "")")
            } else if let due = note.replyDueAt {
                details.append("reply owed by \(time(due))")
            }
        }
        return Entry(at: note.at, ref: note.id, title: note.kind.rawValue, who: note.author, text: note.text, details: details)
    }

    func entry(_ promise: Promise) -> Entry {
        var details = ["due \(time(promise.dueAt))"]
        if let kept = promise.keptAt { details.append("kept \(time(kept)) by \(promise.keptBy ?? "")") }
        if let cancelled = promise.cancelledAt {
            details.append("cancelled \(time(cancelled))" + (promise.cancelReason.map { ": \($0)" } ?? ""))
        }
        return Entry(
            at: promise.madeAt,
            ref: promise.id,
            title: "promise (\(promise.status.rawValue))",
            who: promise.promisedBy,
            text: promise.text,
            details: details
        )
    }

    /// The entry's lines: a heading with its time, kind, author and id, then the words wrapped and indented.
    func lines(_ entry: Entry) -> [String] {
        let console = session.console
        var lines = [
            console.style(time(entry.at), .bold) + "  " + entry.title + " · " + entry.who + "  " + console.style(entry.ref.short, .cyan)
        ]
        if !entry.text.isEmpty { lines += TextWrap.lines(entry.text, width: width - 4).map { "    " + $0 } }
        lines += entry.details.map { "    " + console.style($0, .dim) }
        return lines
    }

    func render(_ entries: [Entry]) -> String {
        entries.map { lines($0).joined(separator: "\n") }.joined(separator: "\n\n")
    }

    private func time(_ date: Date) -> String { Format.dateTime(date, session.calendar, now: session.now) }
}
