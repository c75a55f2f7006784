import ArgumentParser
import Foundation
import KeepCore
import KeepStore

/// `keep customer …`: the people the shop serves.
struct CustomerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer",
        abstract: "Add, list, show, edit and delete customers.",
        subcommands: [
            Add.self, List.self, Show.self, Story.self, Edit.self, Merge.self, Delete.self, Forget.self, CustomerImport.self, CustomerExport.self,
        ]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a customer.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        @Argument(help: "The customer's name, in quotes if it has spaces.")
        var name: String

        @Option(help: "A phone number.")
        var phone: String?

        @Option(help: "An email address.")
        var email: String?

        func run() throws {
            let name = try Validate.name(name)
            let phone = try phone.map(Validate.phone)
            let email = try email.map(Validate.email)
            let session = try Session.open(global)
            let namesakes = try session.store.customers(matching: name)
                .filter { SearchText.fold($0.name) == SearchText.fold(name) }
            let id = try session.write { writer in
                try writer.create(.customer, Customer.creation(name: name, phone: phone, email: email, at: session.now, by: session.agent))
            }
            guard let customer = try session.store.customer(id) else { return }
            if output.json {
                print(JSONShape.customer(customer).rendered)
                return
            }
            print("Added customer \(customer.name) (\(session.console.style(id.short, .cyan)))")
            for namesake in namesakes {
                session.console.note("note: \(namesake.id.short) is also called \(namesake.name); use the id where the name is ambiguous")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List customers by name.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        func run() throws {
            let session = try Session.open(global)
            ListPrinter<Customer>(
                session: session,
                columns: [.init("REF"), .init("NAME", flexible: true), .init("PHONE"), .init("EMAIL", flexible: true)],
                empty: "No customers yet: add one with keep customer add \"NAME\"",
                json: JSONShape.customer,
                row: { [$0.id.short, $0.name, $0.phone ?? "", $0.email ?? ""] }
            )
            .print(try session.store.customers(), asJSON: output.json)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a customer with everything discussed, promised and planned.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        @Argument(help: "The customer: the start of the id, or part of the name.")
        var ref: String

        func run() throws {
            let session = try Session.open(global)
            let customer = try session.customer(ref)
            let (notes, promises, followUps) = try session.store.snapshot { store in
                (
                    try store.notes(customer: customer.id), try store.promises(.all, customer: customer.id),
                    try store.followUps(openOnly: false, customer: customer.id)
                )
            }
            let byID = [customer.id: customer]
            if output.json {
                var object: [String: JSONValue] = ["customer": JSONShape.customer(customer)]
                object["notes"] = .array(notes.map { JSONShape.note($0, customers: byID, now: session.now) })
                object["promises"] = .array(promises.map { JSONShape.promise($0, customers: byID, now: session.now) })
                object["followUps"] = .array(followUps.map { JSONShape.followUp($0, customers: byID, now: session.now) })
                print(JSONValue.object(object).rendered)
                return
            }
            let console = session.console
            print("\(console.style(customer.name, .bold))  \(console.style(customer.id.short, .cyan))")
            if let phone = customer.phone { print("  phone  \(phone)") }
            if let email = customer.email { print("  email  \(email)") }
            print("  since  \(Format.dateTime(customer.createdAt, session.calendar, now: session.now)) by \(customer.createdBy)")
            // A field two people changed at once is marked, with the other value: it is not settled yet.
            let describer = try ConflictDescriber(session: session)
            for conflict in describer.conflicts where conflict.record == customer.id {
                let line =
                    "! \(Resolve.fieldName(conflict)) is in conflict: also " + describer.others(conflict)
                    + "; settle it with keep resolve \(describer.ref(conflict))"
                for wrapped in TextWrap.lines(line, width: (console.width ?? 100) - 4) { print("  " + console.style(wrapped, .red)) }
            }
            let renderer = AgendaRenderer(session: session, customers: byID)
            if !promises.isEmpty {
                print("\n" + console.style("Promises", .bold))
                print(renderer.promiseTable(promises, showCustomer: false), terminator: "")
            }
            if !followUps.isEmpty {
                print("\n" + console.style("Follow-ups", .bold))
                print(renderer.followUpTable(followUps, showCustomer: false), terminator: "")
            }
            if !notes.isEmpty {
                print("\n" + console.style("Conversation", .bold))
                print(renderer.noteTable(notes), terminator: "")
            }
        }
    }

    /// `keep customer story REF`: everything about a customer in time order, every text whole.
    struct Story: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tell a customer's whole story: notes, inquiries, replies, promises, follow-ups, purchases and surveys in time order.",
            discussion: "Every text is shown whole, wrapped to the terminal; a long story opens in your pager ($PAGER, else less)."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The customer: the start of the id, or part of the name.")
        var ref: String

        func run() throws {
            let session = try Session.open(global)
            let customer = try session.customer(ref)
            let story = StoryRenderer(session: session)
            let entries = story.entries(try CustomerRecords(of: customer.id, in: session.store))
            let console = session.console
            var heading = console.style(customer.name, .bold) + "  " + console.style(customer.id.short, .cyan)
            heading += [customer.phone, customer.email].compactMap { $0 }.map { "  " + $0 }.joined()
            let body = entries.isEmpty ? "Nothing recorded yet." : story.render(entries)
            Pager.show(heading + "\n\n" + body, console: console)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a customer's name, phone or email.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The customer: the start of the id, or part of the name.")
        var ref: String

        @Option(help: "The new name.")
        var name: String?

        @Option(help: "The new phone number.")
        var phone: String?

        @Option(help: "The new email address.")
        var email: String?

        @Flag(help: "Remove the phone number.")
        var clearPhone = false

        @Flag(help: "Remove the email address.")
        var clearEmail = false

        func validate() throws {
            guard name != nil || phone != nil || email != nil || clearPhone || clearEmail else {
                throw ValidationError("nothing to change: give --name, --phone, --email, --clear-phone or --clear-email")
            }
            if phone != nil && clearPhone { throw ValidationError("--phone and --clear-phone contradict each other: give one") }
            if email != nil && clearEmail { throw ValidationError("--email and --clear-email contradict each other: give one") }
        }

        func run() throws {
            var changes: [String: FieldValue] = [:]
            if let name { changes[Customer.Field.name] = .text(try Validate.name(name)) }
            if let phone { changes[Customer.Field.phone] = .text(try Validate.phone(phone)) }
            if let email { changes[Customer.Field.email] = .text(try Validate.email(email)) }
            if clearPhone { changes[Customer.Field.phone] = .null }
            if clearEmail { changes[Customer.Field.email] = .null }
            let session = try Session.open(global)
            let customer = try session.customer(ref)
            try session.write { writer in try writer.update(customer.id, kind: .customer, changes) }
            print("Updated customer \(customer.id.short)")
        }
    }

    struct Forget: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a customer's personal data, here and, at the next sync, on every laptop and the server.",
            discussion: """
                The name, phone and e-mail, and the words of every note, promise, follow-up, purchase and survey about \
                the customer are erased; what remains is an anonymous record (kinds, times, statuses, amounts, scores), \
                so reports stay true. Open promises and follow-ups are cancelled. Backups made before keep the old data \
                until they are rotated away. An edit made \
                on another laptop before it received the erasure comes back as a conflict: forget the customer again.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The customer: the start of the id, or part of the name.")
        var ref: String

        @Flag(help: "Confirm the erasure; it cannot be undone.")
        var yes = false

        func run() throws {
            let session = try Session.open(global)
            let customer = try session.customer(ref)
            guard yes else {
                throw KeepError(
                    "this would erase everything that identifies \(customer.name) (\(customer.id.short)), for good: add --yes to confirm",
                    status: .usage
                )
            }
            let report = try session.write { writer in try writer.forget(customer.id) }
            try session.store.checkpoint()
            print(
                "Forgot \(customer.id.short): \(report.records) records rewritten without personal data"
                    + (report.closed > 0 ? ", \(report.closed) open promises and follow-ups cancelled" : "")
                    + ". Other laptops and the server erase it at their next sync."
            )
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make two records of one person one.",
            discussion: """
                Every note, promise, follow-up, purchase and survey about the second customer is moved to the first. \
                The first keeps its name, phone and e-mail; where it has none, it takes the second's, and what differs \
                (another name, a second phone) is written in a note on it, so nothing is lost from sight. The second \
                customer is then deleted. Every laptop follows at its next sync, and what another laptop wrote about \
                the second customer before it heard of the merge is shown under the first there too. `keep undo` \
                takes a merge back.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The customer to keep: the start of the id, or part of the name.")
        var kept: String

        @Argument(help: "The customer merged into it, then deleted.")
        var other: String

        @Flag(help: "Confirm the merge.")
        var yes = false

        func run() throws {
            let session = try Session.open(global)
            let kept = try session.customer(self.kept)
            let other = try session.customer(self.other)
            guard kept.id != other.id else {
                throw KeepError(
                    "\"\(self.kept)\" and \"\(self.other)\" are the same customer, \(kept.name) (\(kept.id.short)): name two records to merge",
                    status: .usage
                )
            }
            guard yes else {
                let records = try CustomerRecords(of: other.id, in: session.store)
                throw KeepError(
                    "this would merge \(other.name) (\(other.id.short)) into \(kept.name) (\(kept.id.short))",
                    status: .usage,
                    details: ["  it moves \(Self.describe(records.counts)), then deletes \(other.id.short)", "  add --yes to confirm"]
                )
            }
            let report = try session.write { writer in
                writer.summary = "merged \(other.name) (\(other.id.short)) into \(kept.name) (\(kept.id.short))"
                return try writer.mergeCustomer(other.id, into: kept.id)
            }
            print("Merged \(other.name) (\(other.id.short)) into \(kept.name) (\(kept.id.short)):")
            print("  moved \(Self.describe(report.moved))")
            if !report.filled.isEmpty { print("  took the \(report.filled.joined(separator: " and ")) it lacked") }
            if !report.keptInNote.isEmpty { print("  wrote what differed in a note: \(report.keptInNote.joined(separator: ", "))") }
            print("Other laptops follow at their next sync; keep undo takes it back.")
        }

        /// "3 notes, 1 promise and 2 purchases", or "nothing".
        static func describe(_ counts: [RecordKind: Int]) -> String {
            let parts = CustomerRecords.kinds.compactMap { kind -> String? in
                guard let count = counts[kind], count > 0 else { return nil }
                return "\(count) \(kind.displayName)\(count == 1 ? "" : "s")"
            }
            guard let last = parts.last else { return "nothing" }
            return parts.count == 1 ? last : parts.dropLast().joined(separator: ", ") + " and " + last
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a customer.",
            discussion:
                "Notes, promises and follow-ups stay in the book. If someone edits the customer on another laptop before syncing, the customer comes back with a conflict to settle."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The customer: the start of the id, or part of the name.")
        var ref: String

        @Flag(help: "Confirm the deletion.")
        var yes = false

        func run() throws {
            let session = try Session.open(global)
            let customer = try session.customer(ref)
            guard yes else {
                throw KeepError("this would delete \(customer.name) (\(customer.id.short)): add --yes to confirm", status: .usage)
            }
            try session.write { writer in try writer.delete(customer.id, kind: .customer) }
            print("Deleted customer \(customer.name) (\(customer.id.short))")
        }
    }
}
