import ArgumentParser
import Foundation
import KeepCore
import KeepStore
import SwiftCSV

/// `keep customer import FILE [--dry-run]`: customers from a spreadsheet or a phone's contacts.
struct CustomerImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add customers from a CSV file (a spreadsheet, Google or Outlook contacts) or vCards (a phone's export).",
        discussion: """
            CSV columns are found by their header: Name (or Full name, or First name and Last name), the first \
            phone and the first e-mail column. vCards (2.1, 3.0 and 4.0, as Android, iOS, Outlook and Google export \
            them) give FN or N, the preferred TEL and EMAIL, in UTF-8 or the CHARSET they name. A contact already in \
            the book (same e-mail, else same phone number by its digits, with the shop's country-code setting, else \
            same name) only gains a phone or e-mail it lacks; nothing is overwritten, so importing the same file \
            again changes nothing. A contact that cannot be read is skipped and named with the reason. Everything is \
            added in one go, or nothing is. --dry-run shows what would change.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: ListOptions

    @Argument(help: "The file: .csv (UTF-8, comma, semicolon or tab separated) or .vcf.")
    var file: String

    @Flag(help: "Show what would change, and change nothing.")
    var dryRun = false

    static let maxBytes = 20 << 20

    func run() throws {
        let session = try Session.open(global)
        let (contacts, unreadable, isVCard) = try Self.read(file)
        var skipped = unreadable
        let valid = contacts.filter { contact in
            if let problem = Self.problem(contact) {
                skipped[contact.line] = problem
                return false
            }
            return true
        }
        let existing = try session.store.customers()
            .map { ImportPlan.Existing(id: $0.id, name: $0.name, phone: $0.phone, email: $0.email) }
        let plan = ImportPlan(contacts: valid, existing: existing, countryCode: try session.store.countryCode())
        if !dryRun {
            var progress = ProgressLine(enabled: !output.json)
            defer { progress.clear() }
            progress.draw("importing", done: 0, total: plan.actions.count)
            try session.write { writer in
                writer.summary = "imported \((file as NSString).lastPathComponent): \(plan.added) added, \(plan.filled) filled in"
                for (index, action) in plan.actions.enumerated() {
                    defer { progress.draw("importing", done: index + 1, total: plan.actions.count) }
                    switch action {
                    case .add(let contact):
                        try writer.create(
                            .customer,
                            Customer.creation(name: contact.name, phone: contact.phone, email: contact.email, at: session.now, by: session.agent)
                        )
                    case .fill(let id, _, let phone, let email, _):
                        var values: [String: FieldValue] = [:]
                        if let phone { values[Customer.Field.phone] = .text(phone) }
                        if let email { values[Customer.Field.email] = .text(email) }
                        try writer.update(id, kind: .customer, values)
                    case .unchanged:
                        break
                    }
                }
            }
        }
        if output.json {
            print(
                JSONValue.object([
                    "dryRun": .bool(dryRun), "added": .integer(plan.added), "filledIn": .integer(plan.filled),
                    "unchanged": .integer(plan.unchanged),
                    "skipped": .array(skipped.keys.sorted().map { .object(["line": .integer($0), "reason": .string(skipped[$0] ?? "")]) }),
                ]).rendered
            )
            return
        }
        if dryRun {
            for action in plan.actions {
                switch action {
                case .add(let contact):
                    print("add     \(contact.name)" + [contact.phone, contact.email].compactMap { $0 }.map { ", \($0)" }.joined())
                case .fill(_, let name, let phone, let email, _):
                    print(
                        "fill in \(name): " + [phone.map { "phone \($0)" }, email.map { "e-mail \($0)" }].compactMap { $0 }.joined(separator: ", ")
                    )
                case .unchanged: break
                }
            }
        }
        for line in skipped.keys.sorted() { session.console.note("skipped \(isVCard ? "card" : "row") \(line): \(skipped[line] ?? "")") }
        let verb = dryRun ? "Would add" : "Added"
        print(
            "\(verb) \(plan.added), \(dryRun ? "would fill in" : "filled in") \(plan.filled), \(plan.unchanged) already in the book, \(skipped.count) skipped"
        )
    }

    /// The contacts in `path`, the rows or cards that could not be read, and whether it is a vCard file.
    static func read(_ path: String) throws -> ([ImportedContact], [Int: String], isVCard: Bool) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw KeepError("cannot read \(path): check the path and that you may read it", status: .noInput)
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maxBytes + 1)) ?? Data()
        guard data.count <= maxBytes else { throw KeepError("\(path) is over 20 MB: split it into smaller files", status: .dataError) }
        var bytes = [UInt8](data)
        // Windows programs save "Unicode" text as UTF-16 with a byte order mark.
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]), let text = String(data: data, encoding: .utf16) {
            bytes = Array(text.utf8)
        }
        // A vCard's values may each be in another character set, so the file is read as bytes, not as UTF-8 text.
        let start = String(decoding: bytes.prefix(300), as: UTF8.self).uppercased()
        if path.lowercased().hasSuffix(".vcf") || path.lowercased().hasSuffix(".vcard") || start.contains("BEGIN:VCARD") {
            let read = ContactFile.contacts(vCard: bytes)
            guard !read.contacts.isEmpty || !read.skipped.isEmpty else {
                throw KeepError("\(path) holds no vCard (no BEGIN:VCARD line): export the contacts again as vCard (.vcf)", status: .dataError)
            }
            return (read.contacts, read.skipped, true)
        }
        guard var text = String(validating: bytes, as: UTF8.self) else {
            throw KeepError("\(path) is not UTF-8 text: save it as CSV UTF-8 (or export the contacts as vCard) and try again", status: .dataError)
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        do {
            let csv = try EnumeratedCSV(string: text, loadColumns: false)
            let read = try ContactFile.contacts(header: csv.header, rows: csv.rows)
            return (read.contacts, read.skipped, false)
        } catch let error as ImportError {
            throw KeepError("\(path): \(error)", status: .dataError)
        } catch {
            throw KeepError(
                "\(path) is not a CSV file this can read (\(error)): check its quotes, or export it again as CSV UTF-8",
                status: .dataError
            )
        }
    }

    /// What makes a contact unfit for the book, within the limits the other commands apply.
    static func problem(_ contact: ImportedContact) -> String? {
        if contact.name.count > Limits.nameLength { return "the name is over \(Limits.nameLength) characters" }
        if let phone = contact.phone, phone.count > Limits.phoneLength { return "the phone is over \(Limits.phoneLength) characters" }
        if let phone = contact.phone, (try? Validate.phone(phone)) == nil {
            return "\"\(phone.prefix(40))\" is not a phone number: write it with digits and optional +, spaces, dashes, dots or brackets"
        }
        if let email = contact.email, email.count > Limits.emailLength || !email.contains("@") { return "\"\(email.prefix(40))\" is not an e-mail" }
        if (contact.name + (contact.phone ?? "") + (contact.email ?? "")).contains(where: { $0.isNewline }) { return "a line break inside a field" }
        return nil
    }
}

/// `keep customer export REF`: everything the book holds about one customer, as JSON.
struct CustomerExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print everything held about one customer as JSON: the customer, notes, promises, follow-ups, purchases, surveys."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The customer: the start of the id, or part of the name.")
    var ref: String

    func run() throws {
        let session = try Session.open(global)
        let customer = try session.customer(ref)
        print(try BookExport.customer(customer, session: session).rendered)
    }
}

/// `keep export`: the whole book as JSON.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the whole book as JSON: customers, notes, promises, follow-ups, purchases and surveys.",
        discussion: "The shapes are those of the --json of each list (docs/JSON.md), under one object."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "JSON (the only format; accepted for clarity in scripts).")
    var json = false

    func run() throws {
        let session = try Session.open(global)
        print(try BookExport.book(session: session).rendered)
    }
}

enum BookExport {
    static func book(session: Session) throws -> JSONValue {
        try session.store.snapshot { store in
            let customers = try store.customers()
            let byID = Dictionary(uniqueKeysWithValues: customers.map { ($0.id, $0) })
            let now = session.now
            return .object([
                "exportedAt": .time(now),
                "customers": .array(customers.map(JSONShape.customer)),
                "notes": .array(try store.allNotes().map { JSONShape.note($0, customers: byID, now: now) }),
                "promises": .array(try store.promises(.all).map { JSONShape.promise($0, customers: byID, now: now) }),
                "followUps": .array(try store.followUps(openOnly: false).map { JSONShape.followUp($0, customers: byID, now: now) }),
                "purchases": .array(try store.purchases(limit: Int.max).map { JSONShape.purchase($0, customers: byID) }),
                "surveys": .array(try store.surveys().map { JSONShape.survey($0, customers: byID) }),
            ])
        }
    }

    static func customer(_ customer: Customer, session: Session) throws -> JSONValue {
        let records = try CustomerRecords(of: customer.id, in: session.store)
        let byID = [customer.id: customer]
        let now = session.now
        return .object([
            "exportedAt": .time(now),
            "customer": JSONShape.customer(customer),
            "notes": .array(records.notes.map { JSONShape.note($0, customers: byID, now: now) }),
            "promises": .array(records.promises.map { JSONShape.promise($0, customers: byID, now: now) }),
            "followUps": .array(records.followUps.map { JSONShape.followUp($0, customers: byID, now: now) }),
            "purchases": .array(records.purchases.map { JSONShape.purchase($0, customers: byID) }),
            "surveys": .array(records.surveys.map { JSONShape.survey($0, customers: byID) }),
        ])
    }
}
