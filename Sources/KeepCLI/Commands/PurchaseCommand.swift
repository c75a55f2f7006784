import ArgumentParser
import Foundation
import KeepCore
import KeepStore

/// `keep purchase …`: what customers bought; a big purchase gets its follow-up by itself.
struct PurchaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purchase",
        abstract: "Record what a customer bought; big purchases get a follow-up by themselves.",
        discussion: """
            With `keep config set follow-up-purchases "100 after 14d"`, a purchase of at least 100 gets a follow-up \
            14 days later. Any contact with the customer in the meantime (a note, an inquiry answered, a promise, \
            a survey, another purchase) moves it to 14 days after that contact: a follow-up is not due if you spoke \
            last week.
            """,
        subcommands: [Add.self, List.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a purchase.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        @Argument(help: "The customer: the start of the id, or part of the name.")
        var ref: String

        @Argument(help: "What they bought.")
        var item: String

        @Option(help: "How much they paid, e.g. 120 or 120.50.")
        var amount: String?

        @Option(help: "When they bought it (any WHEN; default now).")
        var at: String?

        func validate() throws {
            if let amount, Money(parsing: amount) == nil {
                throw ValidationError("--amount takes an amount such as 120 or 120.50, not \"\(amount.prefix(20))\"")
            }
        }

        func run() throws {
            let session = try Session.open(global)
            let customer = try session.customer(ref)
            let item = try Validate.text(self.item, what: "item")
            let amount = self.amount.flatMap(Money.init(parsing:))
            var boughtAt = session.now
            if let at {
                boughtAt = try session.dueDate(at, allowPast: true)
                guard boughtAt <= session.now else { throw KeepError("\"\(at)\" is in the future: a purchase has already happened", status: .usage) }
            }
            let rule = PurchaseFollowUpRule(parsing: try session.store.setting(.purchaseFollowUp))
            let (id, followUpID) = try session.write { writer -> (RecordID, RecordID?) in
                let id = try writer.create(
                    .purchase,
                    Purchase.creation(customer: customer.id, item: item, amount: amount, at: boughtAt, by: session.agent)
                )
                guard let rule, rule.applies(to: amount) else { return (id, nil) }
                let followUp = try writer.create(
                    .followUp,
                    FollowUp.creation(
                        customer: customer.id,
                        text: "How is the \(item)?",
                        dueAt: rule.due(after: boughtAt),
                        at: session.now,
                        by: session.agent,
                        purchase: id
                    )
                )
                return (id, followUp)
            }
            let followUp = try followUpID.flatMap { id in try session.store.followUp(id) }
            if output.json, let purchase = try session.store.purchase(id) {
                var shape = JSONShape.purchase(purchase, customers: [customer.id: customer])
                if case .object(var fields) = shape {
                    fields["followUp"] = followUp.map { JSONShape.followUp($0, customers: [customer.id: customer], now: session.now) } ?? .null
                    shape = .object(fields)
                }
                print(shape.rendered)
                return
            }
            print("Recorded purchase \(session.console.style(id.short, .cyan)): \(customer.name), \(item)\(amount.map { ", \($0)" } ?? "")")
            if let followUp {
                print(
                    "Follow up \(Format.dateTime(followUp.dueAt, session.calendar, now: session.now)) (\(Format.relative(followUp.dueAt, now: session.now))): "
                        + followUp.text
                )
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List purchases, newest first.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        @Argument(help: "Only this customer's (the start of the id, or part of the name).")
        var ref: String?

        func run() throws {
            let session = try Session.open(global)
            let customer = try ref.map { try session.customer($0) }
            let (purchases, customers) = try session.withCustomers({ try $0.purchases(customer: customer?.id) }, of: \.customerID)
            ListPrinter<Purchase>(
                session: session,
                columns: [
                    .init("ID"), .init("WHEN"), .init("CUSTOMER", flexible: true), .init("ITEM", flexible: true),
                    .init("AMOUNT", alignment: .right),
                ],
                empty: "No purchases recorded.",
                json: { JSONShape.purchase($0, customers: customers) },
                row: { purchase in
                    [
                        purchase.id.short, Format.dateTime(purchase.at, session.calendar, now: session.now),
                        customers[purchase.customerID]?.name ?? "?", purchase.item, purchase.amount?.description ?? "",
                    ]
                }
            )
            .print(purchases, asJSON: output.json)
        }
    }
}
