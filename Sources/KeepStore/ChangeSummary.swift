import GRDB
import KeepCore

/// The line that names a change in `keep undo`, read off what it did: "added a note about Μαρία Παπαδοπούλου",
/// "changed the promise 1a2b3c4d about Ona Jonaitienė: status, keptAt", "added 40 customers".
struct ChangeSummary {
    let text: String

    /// Summarizes `records` (in the order the change touched them), whose states after the change are `states`.
    init(_ records: [ChangedRecord], states: [RecordID: RecordState], _ db: Database) throws {
        guard let first = records.first else {
            text = "nothing"
            return
        }
        let nouns = records.map { Self.noun($0, states[$0.id]) }
        let verbs = records.map(Self.verb)
        if records.count > 1, Set(nouns).count == 1, Set(verbs).count == 1 {
            let customers = Set(records.map(\.customer))
            let about = customers.count == 1 && first.kind != .customer ? try Self.name(of: first.customer, db).map { " about " + $0 } : nil
            text = "\(verbs[0]) \(records.count) \(Self.plural(nouns[0]))" + (about ?? "")
            return
        }
        var line = try Self.phrase(first, noun: nouns[0], states: states, db)
        if records.count > 1 { line += " (and \(records.count - 1) other record\(records.count == 2 ? "" : "s"))" }
        text = line
    }

    /// What a forget is called: by the customer's id, since their name is what it erases.
    static func forget(_ customer: RecordID) -> String { "forgot the customer \(customer.short)" }

    private static func phrase(_ record: ChangedRecord, noun: String, states: [RecordID: RecordState], _ db: Database) throws -> String {
        let name = try name(of: record.customer, states: states, db) ?? record.customer?.short ?? "?"
        let verb = verb(record)
        if record.kind == .customer { return "\(verb) the customer \(name)" + changedFields(record) }
        if record.created { return "added \(article(noun)) \(noun) about \(name)" }
        return "\(verb) the \(noun) \(record.id.short) about \(name)" + changedFields(record)
    }

    /// The fields an edit wrote, in the order the model lists them: ": status, keptAt".
    private static func changedFields(_ record: ChangedRecord) -> String {
        guard verb(record) == "changed", !record.fields.isEmpty else { return "" }
        let order = record.kind.fields.map(\.name)
        let names = record.fields.keys.sorted { (order.firstIndex(of: $0) ?? .max, $0) < (order.firstIndex(of: $1) ?? .max, $1) }
        return ": " + names.joined(separator: ", ")
    }

    private static func verb(_ record: ChangedRecord) -> String {
        switch (record.created, record.deletedBefore, record.deletedAfter) {
        case (true, _, _): "added"
        case (false, false, true): "deleted"
        case (false, true, false): "brought back"
        default: "changed"
        }
    }

    /// What the record is to a shop owner: a note says whether it is an inquiry, a complaint or a reply.
    private static func noun(_ record: ChangedRecord, _ state: RecordState?) -> String {
        guard record.kind == .note, let kind = state?.value(Note.Field.kind)?.text.flatMap(Note.Kind.init) else { return record.kind.displayName }
        return kind.rawValue
    }

    private static func article(_ noun: String) -> String { noun.first.map { "aeiou".contains($0) } == true ? "an" : "a" }

    private static func plural(_ noun: String) -> String {
        switch noun {
        case "inquiry": "inquiries"
        case "reply": "replies"
        default: noun + "s"
        }
    }

    /// The customer's name as the change left it.
    private static func name(of customer: RecordID?, states: [RecordID: RecordState] = [:], _ db: Database) throws -> String? {
        guard let customer else { return nil }
        let state = try states[customer] ?? RecordRepository.state(customer, db)
        return state?.value(Customer.Field.name)?.text
    }
}
