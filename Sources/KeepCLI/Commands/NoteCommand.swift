public import ArgumentParser
import KeepCore
import KeepStore

extension Note.Channel: ExpressibleByArgument {}

/// `keep note …`: what was discussed with a customer.
struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Write down what was discussed with a customer.",
        subcommands: [Add.self, List.self]
    )

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
