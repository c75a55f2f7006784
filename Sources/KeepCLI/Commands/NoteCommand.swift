public import ArgumentParser
import KeepCore
import KeepStore

extension Note.Channel: ExpressibleByArgument {}

/// `keep note …`: what was discussed with a customer.
struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Write down what was discussed with a customer.",
        subcommands: [Add.self, List.self, Show.self]
    )

    /// `keep note show ID`: one note, inquiry, complaint or reply whole, wrapped to the terminal.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a note, inquiry, complaint or reply whole, with its customer and what became of it.",
            discussion: "Lists cut long texts to fit a line; this shows every word, wrapped to the terminal."
        )

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        @Argument(help: "The note: the start of its id, as the lists show it.")
        var id: String

        func run() throws {
            let session = try Session.open(global)
            let noteID = try session.recordID(id, kind: .note, listCommand: "keep note list CUSTOMER")
            guard let note = try session.store.note(noteID) else {
                throw KeepError("no note has an id starting with \(id): find it with `keep note list CUSTOMER`")
            }
            let customers = try session.store.customers(ids: [note.customerID])
            if output.json {
                print(JSONShape.note(note, customers: customers, now: session.now).rendered)
                return
            }
            let name = customers[note.customerID]?.name ?? note.customerID.short
            let story = StoryRenderer(session: session)
            let heading = session.console.style(name, .bold) + "  " + session.console.style(note.customerID.short, .cyan)
            Pager.show(heading + "\n" + story.lines(story.entry(note)).joined(separator: "\n"), console: session.console)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a note to a customer.",
            discussion: "TEXT may be given as an argument, as - to read standard input, or left out to write it in $EDITOR."
        )

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        @Argument(help: "The customer: the start of the id, or part of the name.")
        var ref: String

        @Argument(help: "What was discussed.")
        var text: String?

        @Option(help: "How you spoke: phone, email, visit or chat.")
        var channel: Note.Channel?

        func run() throws {
            let session = try Session.open(global)
            let customer = try session.customer(ref)
            let body = try session.text(text, what: "note")
            let id = try session.write { writer in
                try writer.create(
                    .note,
                    Note.creation(customer: customer.id, kind: .note, channel: channel, text: body, author: session.agent, at: session.now)
                )
            }
            try output.printWritten(
                session.store.note(id).map { JSONShape.note($0, customers: [customer.id: customer], now: session.now) },
                else: "Noted for \(customer.name) (\(session.console.style(id.short, .cyan)))"
            )
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a customer's notes, oldest first.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        @Argument(help: "The customer: the start of the id, or part of the name.")
        var ref: String

        func run() throws {
            let session = try Session.open(global)
            let customer = try session.customer(ref)
            let notes = try session.store.notes(customer: customer.id)
            let byID = [customer.id: customer]
            ListPrinter<Note>(
                session: session,
                empty: "No notes for \(customer.name) yet: add one with keep note add \(customer.id.short) \"TEXT\"",
                json: { JSONShape.note($0, customers: byID, now: session.now) },
                table: { AgendaRenderer(session: session, customers: byID).noteTable($0) }
            )
            .print(notes, asJSON: output.json)
        }
    }
}
