import ArgumentParser
import Foundation
import KeepCore
import KeepStore

/// `keep survey …`: how satisfied customers say they are.
struct SurveyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survey",
        abstract: "Record how satisfied a customer is, from 1 to 5; `keep report` shows it beside kept promises.",
        subcommands: [Add.self, List.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a customer's satisfaction score, with their words if any.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        @Argument(help: "The customer: the start of the id, or part of the name.")
        var ref: String

        @Option(help: "How satisfied, from 1 (not at all) to 5 (very).")
        var score: Int

        @Argument(help: "What they said; - reads standard input.")
        var text: String?

        func validate() throws {
            guard Survey.scores.contains(score) else { throw ValidationError("--score takes 1 (not at all satisfied) to 5 (very), not \(score)") }
        }

        func run() throws {
            let session = try Session.open(global)
            let customer = try session.customer(ref)
            let words = try text.map { try session.text($0, what: "survey") }
            let id = try session.write { writer in
                try writer.create(.survey, Survey.creation(customer: customer.id, score: score, text: words, at: session.now, by: session.agent))
            }
            try output.printWritten(
                session.store.survey(id).map { JSONShape.survey($0, customers: [customer.id: customer]) },
                else: "Recorded \(customer.name)'s satisfaction: \(score) of 5 (\(session.console.style(id.short, .cyan)))"
            )
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List survey answers, newest first.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: ListOptions

        func run() throws {
            let session = try Session.open(global)
            let (surveys, customers) = try session.withCustomers({ Array(try $0.surveys().reversed()) }, of: \.customerID)
            ListPrinter<Survey>(
                session: session,
                columns: [
                    .init("ID"), .init("WHEN"), .init("CUSTOMER", flexible: true), .init("SCORE", alignment: .right),
                    .init("SAID", flexible: true),
                ],
                empty: "No survey answers recorded.",
                json: { JSONShape.survey($0, customers: customers) },
                row: { survey in
                    [
                        survey.id.short, Format.dateTime(survey.at, session.calendar, now: session.now), customers[survey.customerID]?.name ?? "?",
                        "\(survey.score)/5", survey.text.map(Format.oneLine) ?? "",
                    ]
                }
            )
            .print(surveys, asJSON: output.json)
        }
    }
}
