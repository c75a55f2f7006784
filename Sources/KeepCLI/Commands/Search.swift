import ArgumentParser
import Foundation
import KeepCore
import KeepStore

/// `keep search`: find anything said, promised or planned, in any language, without worrying about accents.
struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search customers, notes, promises and follow-ups.",
        discussion: "Case and accents do not matter: `keep search απαντηση` finds «απάντηση». The last word may be the start of a word."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: ListOptions

    @Argument(help: "The words to find.")
    var words: [String]

    @Option(help: "At most this many results.")
    var limit = 50

    func validate() throws {
        guard !words.joined().trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("give the words to search for") }
        guard words.joined(separator: " ").count <= 500 else { throw ValidationError("the search is too long: use at most 500 characters") }
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
    }

    func run() throws {
        let session = try Session.open(global)
        let query = words.joined(separator: " ")
        guard SearchText.matchExpression(for: query) != nil else {
            throw KeepError("\"\(query)\" has no words to search for: use letters or digits", status: .usage)
        }
        let (hits, customers) = try session.withCustomers({ try $0.search(query, limit: limit) }, of: \.customerID)
        ListPrinter<SearchHit>(
            session: session,
            columns: [.init("REF"), .init("KIND"), .init("CUSTOMER", flexible: true), .init("TEXT", flexible: true)],
            empty: "Nothing found for \"\(query)\".",
            json: { hit in
                .object([
                    "kind": .string(hit.kind.rawValue),
                    "id": .string(hit.id.rawValue),
                    "ref": .string(hit.id.short),
                    "customer": .optional(hit.customerID?.rawValue),
                    "customerName": .optional(hit.customerID.flatMap { customers[$0]?.name }),
                    "text": .string(hit.text),
                    "at": .time(hit.at),
                ])
            },
            row: { hit in [hit.id.short, hit.kind.displayName, hit.customerID.flatMap { customers[$0]?.name } ?? "", Format.oneLine(hit.text)] }
        )
        .print(hits, asJSON: output.json)
    }
}
