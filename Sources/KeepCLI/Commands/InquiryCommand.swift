import ArgumentParser
import Foundation
import KeepCore
import KeepStore

/// `keep inquiry …`: a customer asked or complained, and is owed a reply within the reply window.
struct InquiryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inquiry",
        abstract: "Record what a customer asked, and answer it within the reply window.",
        discussion: """
            An inquiry starts a reply clock (24 hours unless `keep config set reply-window` says otherwise) that shows in \
            `keep today` until it is answered. With `keep config set opening-hours`, the clock runs only while the shop is \
            open. When you ask the customer something back, `keep inquiry wait` pauses the clock until they get back to you \
            (`keep inquiry resume`).
            """,
        subcommands: [Add.self, Answer.self, Wait.self, Resume.self, List.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a customer's question or complaint; starts the reply clock.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        @Argument(help: "The customer: the start of the id, or part of the name.")
        var ref: String

        @Argument(help: "What the customer asked; - reads standard input; leave out to use $EDITOR.")
        var text: String?

        @Option(help: "How the customer got in touch: phone, email, visit or chat.")
        var channel: Note.Channel?

        @Flag(help: "It is a complaint: own it and resolve it.")
        var complaint = false

        func run() throws {
            let session = try Session.open(global)
            let customer = try session.customer(ref)
            let body = try session.text(text, what: "inquiry")
            let replyDueAt = session.replyClock.replyDue(receivedAt: session.now)
            let id = try session.write { writer in
                try writer.create(
                    .note,
                    Note.creation(
                        customer: customer.id,
                        kind: complaint ? .complaint : .inquiry,
                        channel: channel,
                        text: body,
                        author: session.agent,
                        at: session.now,
                        replyDueAt: replyDueAt
                    )
                )
            }
            let due = Format.dateTime(replyDueAt, session.calendar, now: session.now)
            try output.printWritten(
                session.store.note(id).map { JSONShape.note($0, customers: [customer.id: customer], now: session.now) },
                else: "Recorded \(complaint ? "complaint" : "inquiry") \(session.console.style(id.short, .cyan)) from \(customer.name): "
                    + "reply by \(due) (\(Format.relative(replyDueAt, now: session.now)))"
            )
        }
    }

    struct Answer: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark an inquiry answered, optionally writing down the reply.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The inquiry's id (its start is enough).")
        var id: String

        @Argument(help: "The reply given; - reads standard input.")
        var text: String?

        @Option(help: "How you replied: phone, email, visit or chat.")
        var channel: Note.Channel?

        func run() throws {
            let session = try Session.open(global)
            var inquiry = try InquiryCommand.unanswered(id, session: session, doing: "answer")
            let inquiryID = inquiry.id
            let resumed = InquiryCommand.resumedDue(inquiry, session: session)
            // An answer given while waiting on the customer means they got back: the clock ran again from now.
            if let resumed { (inquiry.replyDueAt, inquiry.waitingSince) = (resumed, nil) }
            let reply = try text.map { try session.text($0, what: "reply") }
            try session.write { writer in
                writer.summary = "answered the inquiry \(inquiry.id.short)" + (reply == nil ? "" : " with a reply")
                let replyID = try reply.map { body in
                    try writer.create(
                        .note,
                        Note.creation(
                            customer: inquiry.customerID,
                            kind: .reply,
                            channel: channel,
                            text: body,
                            author: session.agent,
                            at: session.now,
                            inReplyTo: inquiry.id
                        )
                    )
                }
                if let resumed { try writer.update(inquiry.id, kind: .note, Note.resuming(replyDueAt: resumed)) }
                try writer.update(inquiry.id, kind: .note, Note.answering(at: session.now, by: session.agent, answer: replyID))
                try writer.noteContact(with: inquiry.customerID)
            }
            let late = inquiry.isReplyLate(now: session.now) ? " (after the reply window)" : ""
            print("Answered inquiry \(inquiryID.short)\(late)")
        }
    }

    struct Wait: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "You asked the customer something back: pause the reply clock until they get back to you."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The inquiry's id (its start is enough).")
        var id: String

        @Argument(help: "What you asked the customer, kept as a note; - reads standard input.")
        var text: String?

        func run() throws {
            let session = try Session.open(global)
            let inquiry = try InquiryCommand.unanswered(id, session: session, doing: "pause")
            if let since = inquiry.waitingSince {
                throw KeepError(
                    "inquiry \(inquiry.id.short) has been waiting on the customer since \(Format.dateTime(since, session.calendar, now: session.now)): nothing to do; `keep inquiry resume \(inquiry.id.short)` when they get back to you"
                )
            }
            let asked = try text.map { try session.text($0, what: "note") }
            try session.write { writer in
                writer.summary = "paused the reply clock of the inquiry \(inquiry.id.short)"
                if let asked {
                    _ = try writer.create(
                        .note,
                        Note.creation(customer: inquiry.customerID, kind: .note, channel: nil, text: asked, author: session.agent, at: session.now)
                    )
                }
                try writer.update(inquiry.id, kind: .note, Note.waiting(since: session.now))
                try writer.noteContact(with: inquiry.customerID)
            }
            let left =
                inquiry.isReplyLate(now: session.now)
                ? "it was already late"
                : "\(RelativeTime.duration(session.replyClock.elapsed(from: session.now, to: inquiry.replyDueAt ?? session.now))) of the reply window left"
            print("Waiting on the customer for inquiry \(inquiry.id.short): the clock is paused, \(left)")
        }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The customer got back to you: run the reply clock again with the time that was left."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The inquiry's id (its start is enough).")
        var id: String

        func run() throws {
            let session = try Session.open(global)
            let inquiry = try InquiryCommand.unanswered(id, session: session, doing: "resume")
            guard let resumed = InquiryCommand.resumedDue(inquiry, session: session) else {
                throw KeepError(
                    "inquiry \(inquiry.id.short) is not waiting on the customer: its clock is running; pause it with `keep inquiry wait \(inquiry.id.short)`"
                )
            }
            try session.write { writer in
                writer.summary = "ran the reply clock of the inquiry \(inquiry.id.short) again"
                try writer.update(inquiry.id, kind: .note, Note.resuming(replyDueAt: resumed))
                try writer.noteContact(with: inquiry.customerID)
            }
            let due = Format.dateTime(resumed, session.calendar, now: session.now)
            print("Inquiry \(inquiry.id.short) runs again: reply by \(due) (\(Format.relative(resumed, now: session.now)))")
        }
    }

    /// The inquiry or complaint an id names, if it is still owed a reply; a message naming the problem otherwise.
    static func unanswered(_ id: String, session: Session, doing action: String) throws -> Note {
        let inquiryID = try session.recordID(id, kind: .note, listCommand: "keep inquiry list")
        guard let inquiry = try session.store.note(inquiryID) else {
            throw KeepError("no inquiry \(id): find it with `keep inquiry list`")
        }
        guard inquiry.kind.owesReply else {
            throw KeepError("\(inquiryID.short) is a \(inquiry.kind.rawValue), not an inquiry: nothing to \(action)")
        }
        if let answeredAt = inquiry.answeredAt {
            throw KeepError(
                "inquiry \(inquiryID.short) was already answered \(Format.dateTime(answeredAt, session.calendar, now: session.now)) by \(inquiry.answeredBy ?? "someone"): nothing to do"
            )
        }
        return inquiry
    }

    /// When the reply is owed if the clock of a paused inquiry runs again now; nil when it is not paused.
    static func resumedDue(_ inquiry: Note, session: Session) -> Date? {
        guard let pausedAt = inquiry.waitingSince, let dueAt = inquiry.replyDueAt else { return nil }
        return session.replyClock.resumedDue(dueAt: dueAt, pausedAt: pausedAt, resumedAt: session.now)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List inquiries and complaints still owed a reply, least time left first.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        func run() throws {
            let session = try Session.open(global)
            let (owed, customers) = try session.withCustomers({ try $0.repliesOwed() }, of: \.customerID)
            ListPrinter<Note>(
                session: session,
                empty: "No replies owed.",
                json: { JSONShape.note($0, customers: customers, now: session.now) },
                table: { AgendaRenderer(session: session, customers: customers).replyTable($0) }
            )
            .print(owed, asJSON: output.json)
        }
    }
}
