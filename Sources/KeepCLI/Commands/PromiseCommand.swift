import ArgumentParser
import KeepCore
import KeepStore

/// `keep promise …`: what the shop promised, to whom, by when.
struct PromiseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promise",
        abstract: "Record promises to customers and keep them.",
        subcommands: [Add.self, List.self, Keep.self, Cancel.self, Edit.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record what exactly you promised a customer, and by when.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        @Argument(help: "The customer: the start of the id, or part of the name.")
        var ref: String

        @Argument(help: "What exactly was promised; - reads standard input.")
        var text: String?

        @Option(
            name: [.customLong("due"), .customLong("until")],
            help:
                "When it is due: 2026-11-25, 25/11/2026, today, tomorrow, eod, fri, next fri, in 3 days, +2w, +4h, 17:00 or tomorrow 10:00 (keep help dates)."
        )
        var due: String

        @Flag(help: "Accept a due time that has already passed (to record an old promise).")
        var allowPast = false

        func run() throws {
            let session = try Session.open(global)
            let customer = try session.customer(ref)
            let dueAt = try session.dueDate(due, allowPast: allowPast)
            let body = try session.text(text, what: "promise")
            let id = try session.write { writer in
                try writer.create(.promise, Promise.creation(customer: customer.id, text: body, dueAt: dueAt, at: session.now, by: session.agent))
            }
            try output.printWritten(
                session.store.promise(id).map { JSONShape.promise($0, customers: [customer.id: customer], now: session.now) },
                else:
                    "Promised \(customer.name) (\(session.console.style(id.short, .cyan))): due \(Format.dateTime(dueAt, session.calendar, now: session.now)) "
                    + "(\(Format.relative(dueAt, now: session.now)))"
            )
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List promises, soonest due first.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        @Flag(help: "Only promises not yet kept or cancelled.")
        var open = false

        @Flag(help: "Only open promises past their due time.")
        var overdue = false

        @Option(help: "Only this customer's promises.")
        var customer: String?

        func validate() throws {
            if open && overdue { throw ValidationError("--open and --overdue overlap: give one (--overdue lists open promises past due)") }
        }

        func run() throws {
            let session = try Session.open(global)
            let customerID = try customer.map { try session.customer($0).id }
            let filter: PromiseFilter = overdue ? .overdue : open ? .open : .all
            let (promises, customers) = try session.withCustomers(
                { try $0.promises(filter, customer: customerID, now: session.now) },
                of: \.customerID
            )
            ListPrinter<Promise>(
                session: session,
                empty: overdue ? "No overdue promises." : "No promises here.",
                json: { JSONShape.promise($0, customers: customers, now: session.now) },
                table: { AgendaRenderer(session: session, customers: customers).promiseTable($0, showCustomer: true) }
            )
            .print(promises, asJSON: output.json)
        }
    }

    struct Keep: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a promise kept.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The promise's id (its start is enough).")
        var id: String

        func run() throws {
            let session = try Session.open(global)
            let promise = try session.changeOpenPromise(id, Promise.keeping(at: session.now, by: session.agent))
            let late = promise.dueAt < session.now ? " late (\(Format.relative(promise.dueAt, now: session.now)) it was due)" : " on time"
            print("Kept promise \(promise.id.short)\(late)")
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a promise, saying why (tell the customer too).")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The promise's id (its start is enough).")
        var id: String

        @Option(help: "Why the promise will not be kept.")
        var reason: String

        func run() throws {
            let reason = try Validate.text(reason, what: "reason", limit: Limits.reasonLength)
            let session = try Session.open(global)
            let promise = try session.changeOpenPromise(id, Promise.cancelling(reason: reason, at: session.now))
            print("Cancelled promise \(promise.id.short)")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an open promise's due time or wording (agree it with the customer first).")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The promise's id (its start is enough).")
        var id: String

        @Option(help: "The new due time (any WHEN: keep help dates).")
        var due: String?

        @Option(help: "The new wording.")
        var text: String?

        @Flag(help: "Accept a due time that has already passed.")
        var allowPast = false

        func validate() throws {
            guard due != nil || text != nil else { throw ValidationError("nothing to change: give --due or --text") }
        }

        func run() throws {
            let session = try Session.open(global)
            let promise = try session.changeOpenPromise(id, try changes(session))
            print("Updated promise \(promise.id.short)")
        }

        /// The new due time and wording, checked once the promise is found open.
        private func changes(_ session: Session) throws -> [String: FieldValue] {
            var changes: [String: FieldValue] = [:]
            if let due { changes[Promise.Field.dueAt] = .time(try session.dueDate(due, allowPast: allowPast)) }
            if let text { changes[Promise.Field.text] = .text(try Validate.text(text, what: "promise")) }
            return changes
        }
    }
}

extension Session {
    /// Writes `changes` to the open promise whose id starts with `prefix` (a kept or cancelled promise cannot
    /// change), and returns the promise as it was.
    func changeOpenPromise(_ prefix: String, _ changes: @autoclosure () throws -> [String: FieldValue]) throws -> Promise {
        let id = try recordID(prefix, kind: .promise, listCommand: "keep promise list")
        guard let promise = try store.promise(id) else {
            throw KeepError("no promise \(prefix): find it with `keep promise list`")
        }
        switch promise.status {
        case .open:
            let changes = try changes()
            try write { writer in try writer.update(id, kind: .promise, changes) }
            return promise
        case .kept:
            throw KeepError(
                "promise \(id.short) was already kept\(promise.keptAt.map { " " + Format.dateTime($0, calendar, now: now) } ?? ""): nothing to change"
            )
        case .cancelled:
            throw KeepError("promise \(id.short) was cancelled (\(promise.cancelReason ?? "no reason given")): record a new promise instead")
        }
    }
}
