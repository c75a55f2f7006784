import Foundation

/// A contact read from a spreadsheet or a phone's export, before it is matched against the book.
public struct ImportedContact: Sendable, Hashable {
    public var name: String
    public var phone: String?
    public var email: String?
    /// Where it came from, for messages: the CSV row or the vCard's position, counting from 1.
    public var line: Int

    public init(name: String, phone: String?, email: String?, line: Int) {
        self.name = name
        self.phone = phone
        self.email = email
        self.line = line
    }
}

/// Reads contacts out of CSV rows mapped by header, and out of vCards.
public enum ContactFile {
    /// The contacts of a table whose first row names the columns: `Name`, `Full name`, or `First name` and
    /// `Last name` (as Google's and Outlook's exports write them, in any case); the first phone and e-mail column.
    /// Rows without a name are skipped and reported with their row number.
    public static func contacts(header: [String], rows: [[String]]) throws(ImportError) -> (contacts: [ImportedContact], skipped: [Int: String]) {
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased().filter { $0.isLetter || $0.isNumber } }
        func column(_ names: [String]) -> Int? { names.lazy.compactMap { columns.firstIndex(of: $0) }.first }
        func column(containing words: [String]) -> Int? {
            columns.firstIndex { name in words.contains { name.contains($0) } && !name.contains("type") && !name.contains("label") }
        }
        let full = column(["name", "fullname", "displayname", "όνομα", "vardas", "نام"])
        let first = column(["firstname", "givenname"])
        let last = column(["lastname", "familyname", "surname"])
        guard full != nil || first != nil || last != nil else {
            throw ImportError.noNameColumn(header.prefix(8).joined(separator: ", "))
        }
        let phone = column(containing: ["phone", "mobile", "tel", "τηλέφωνο", "telefonas", "تلفن"])
        let email = column(containing: ["email", "mail"])
        var contacts: [ImportedContact] = []
        var skipped: [Int: String] = [:]
        for (index, row) in rows.enumerated() {
            let line = index + 2
            func cell(_ index: Int?) -> String? {
                guard let index, index < row.count else { return nil }
                let value = row[index].trimmingCharacters(in: .whitespacesAndNewlines)
                return value.isEmpty ? nil : value
            }
            let name = cell(full) ?? [cell(first), cell(last)].compactMap { $0 }.joined(separator: " ")
            guard !name.isEmpty else {
                if row.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) { skipped[line] = "no name" }
                continue
            }
            contacts.append(ImportedContact(name: name, phone: cell(phone), email: cell(email), line: line))
        }
        return (contacts, skipped)
    }

    /// The contacts of a vCard file (versions 2.1 to 4.0): `FN`, else `N`; the first `TEL` and `EMAIL`.
    public static func contacts(vCard text: String) -> (contacts: [ImportedContact], skipped: [Int: String]) {
        // Folded lines continue with a space or a tab (RFC 6350 §3.2).
        var lines: [String] = []
        for raw in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = raw.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += raw.dropFirst()
            } else {
                lines.append(String(raw))
            }
        }
        var contacts: [ImportedContact] = []
        var skipped: [Int: String] = [:]
        var card: [String: String]?
        var number = 0
        for line in lines {
            let upper = line.uppercased()
            if upper.hasPrefix("BEGIN:VCARD") {
                card = [:]
                number += 1
                continue
            }
            if upper.hasPrefix("END:VCARD"), let fields = card {
                let structured = fields["N"].map { name -> String in
                    let parts = name.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
                    return [parts.count > 1 ? parts[1] : "", parts.first ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
                }
                let name = (fields["FN"] ?? structured ?? "").trimmingCharacters(in: .whitespaces)
                if name.isEmpty {
                    skipped[number] = "no name"
                } else {
                    contacts.append(ImportedContact(name: name, phone: fields["TEL"], email: fields["EMAIL"], line: number))
                }
                card = nil
                continue
            }
            guard card != nil, let colon = line.firstIndex(of: ":") else { continue }
            // "item1.TEL;TYPE=CELL:+30 210…": the property name without group and parameters.
            let property = line[..<colon].split(separator: ";").first.map { $0.split(separator: ".").last.map(String.init) ?? "" } ?? ""
            let key = property.uppercased()
            let value = String(line[line.index(after: colon)...]).replacingOccurrences(of: "\\,", with: ",").trimmingCharacters(in: .whitespaces)
            guard ["FN", "N", "TEL", "EMAIL"].contains(key), card?[key] == nil, !value.isEmpty else { continue }
            card?[key] = value
        }
        return (contacts, skipped)
    }
}

/// Why a contacts file cannot be read.
public enum ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    case noNameColumn(String)

    public var description: String {
        switch self {
        case .noNameColumn(let header):
            "the first row (\(header)) names no name column: call one Name, Full name, or First name and Last name"
        }
    }
}

/// What importing contacts would do to the book: add, fill in missing phones and e-mails, or leave as is.
///
/// A contact matches an existing customer by e-mail (ignoring case), else by phone (its digits), else by name
/// (ignoring case and accents). A match only gains what it lacks; nothing is ever overwritten, so importing the
/// same file again changes nothing.
public struct ImportPlan: Sendable {
    public struct Existing: Sendable, Hashable {
        public var id: RecordID
        public var name: String
        public var phone: String?
        public var email: String?

        public init(id: RecordID, name: String, phone: String?, email: String?) {
            self.id = id
            self.name = name
            self.phone = phone
            self.email = email
        }
    }

    public enum Action: Sendable, Hashable {
        case add(ImportedContact)
        /// Fill in what the customer lacks.
        case fill(RecordID, name: String, phone: String?, email: String?, line: Int)
        case unchanged(RecordID, line: Int)
    }

    public private(set) var actions: [Action] = []

    public init(contacts: [ImportedContact], existing: [Existing]) {
        var known = existing
        for contact in contacts {
            guard let index = Self.match(contact, in: known) else {
                actions.append(.add(contact))
                known.append(Existing(id: RecordID.random(), name: contact.name, phone: contact.phone, email: contact.email))
                continue
            }
            let customer = known[index]
            let phone = customer.phone == nil ? contact.phone : nil
            let email = customer.email == nil ? contact.email : nil
            if phone == nil && email == nil {
                actions.append(.unchanged(customer.id, line: contact.line))
            } else {
                actions.append(.fill(customer.id, name: customer.name, phone: phone, email: email, line: contact.line))
                known[index].phone = customer.phone ?? phone
                known[index].email = customer.email ?? email
            }
        }
    }

    public var added: Int { actions.filter { if case .add = $0 { true } else { false } }.count }
    public var filled: Int { actions.filter { if case .fill = $0 { true } else { false } }.count }
    public var unchanged: Int { actions.filter { if case .unchanged = $0 { true } else { false } }.count }

    private static func match(_ contact: ImportedContact, in known: [Existing]) -> Int? {
        if let email = contact.email?.lowercased(), let index = known.firstIndex(where: { $0.email?.lowercased() == email }) { return index }
        if let phone = contact.phone.map(digits), phone.count >= 5, let index = known.firstIndex(where: { $0.phone.map(digits) == phone }) {
            return index
        }
        let name = SearchText.fold(contact.name)
        return known.firstIndex { SearchText.fold($0.name) == name }
    }

    private static func digits(_ phone: String) -> String { phone.filter(\.isNumber) }
}
