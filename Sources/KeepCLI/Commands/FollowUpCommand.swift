import ArgumentParser
import Foundation
import KeepCore
import KeepStore

/// `keep followup …`: getting back to a customer later.
struct FollowUpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followup",
        abstract: "Plan to get back to a customer later, e.g. 90 days after a big purchase.",
        subcommands: [Add.self, List.self, Done.self, Cancel.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Plan a follow-up with a customer.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        @Argument(help: "The customer: the start of the id, or part of the name.")
        var ref: String

        @Argument(help: "What to follow up on; - reads standard input.")
        var text: String?

        @Option(name: .customLong("in"), help: "How long from now: 90d, 2w, 3mo (months), 1y or \"2 weeks\".")
        var after: String?

        @Option(help: "When exactly (any WHEN, e.g. 2027-02-20 or fri).")
        var due: String?

        @Flag(help: "Accept a due time that has already passed.")
        var allowPast = false

        func validate() throws {
            guard (after == nil) != (due == nil) else {
                throw ValidationError("say when to follow up with either --in (e.g. --in 90d) or --due, not both")
            }
        }

        func run() throws {
            let session = try Session.open(global)
            let customer = try session.customer(ref)
            let dueAt: Date
            if let after {
                do {
                    dueAt = try session.whenParser.parseOffset(after)
                } catch {
                    throw KeepError(error.description, status: .usage)
                }
                try session.refusePast(dueAt, text: after, allowPast: allowPast)
            } else {
                dueAt = try session.dueDate(due ?? "", allowPast: allowPast)
            }
            let body = try session.text(text, what: "follow-up")
            let id = try session.write { writer in
                try writer.create(.followUp, FollowUp.creation(customer: customer.id, text: body, dueAt: dueAt, at: session.now, by: session.agent))
            }
            try output.printWritten(
                session.store.followUp(id).map { JSONShape.followUp($0, customers: [customer.id: customer], now: session.now) },
                else: "Follow up with \(customer.name) (\(session.console.style(id.short, .cyan))) on "
                    + "\(Format.dateTime(dueAt, session.calendar, now: session.now)) (\(Format.relative(dueAt, now: session.now)))"
            )
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List open follow-ups, soonest first.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        @Flag(help: "Include follow-ups already done or cancelled.")
        var all = false

        func run() throws {
            let session = try Session.open(global)
            let (followUps, customers) = try session.withCustomers({ try $0.followUps(openOnly: !all) }, of: \.customerID)
            ListPrinter<FollowUp>(
                session: session,
                empty: "No follow-ups planned.",
                json: { JSONShape.followUp($0, customers: customers, now: session.now) },
                table: { AgendaRenderer(session: session, customers: customers).followUpTable($0, showCustomer: true) }
            )
            .print(followUps, asJSON: output.json)
        }
    }

    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a follow-up done.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The follow-up's id (its start is enough).")
        var id: String

        func run() throws {
            let session = try Session.open(global)
            let followUp = try session.changeOpenFollowUp(id, FollowUp.completing(at: session.now, by: session.agent))
            print("Done: follow-up \(followUp.id.short)")
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a follow-up that is no longer needed.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The follow-up's id (its start is enough).")
        var id: String

        func run() throws {
            let session = try Session.open(global)
            let followUp = try session.changeOpenFollowUp(id, FollowUp.cancelling())
            print("Cancelled follow-up \(followUp.id.short)")
        }
    }
}

extension Session {
    /// Writes `changes` to the open follow-up whose id starts with `prefix` (one done or cancelled cannot change),
    /// and returns the follow-up as it was.
    func changeOpenFollowUp(_ prefix: String, _ changes: @autoclosure () throws -> [String: FieldValue]) throws -> FollowUp {
        let id = try recordID(prefix, kind: .followUp, listCommand: "keep followup list")
        guard let followUp = try store.followUp(id) else {
            throw KeepError("no follow-up \(prefix): find it with `keep followup list`")
        }
        guard followUp.status == .open else { throw KeepError("follow-up \(id.short) is already \(followUp.status.rawValue): nothing to change") }
        let changes = try changes()
        try write { writer in try writer.update(id, kind: .followUp, changes) }
        return followUp
    }
}
