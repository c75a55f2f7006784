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

    /// The contacts of a vCard file given as text; see ``contacts(vCard:)-(bytes)``.
    public static func contacts(vCard text: String) -> (contacts: [ImportedContact], skipped: [Int: String]) {
        contacts(vCard: Array(text.utf8))
    }

    /// The contacts of a vCard file (versions 2.1 to 4.0), numbered by their card's position from 1: the name from `FN`,
    /// else `N`, else `ORG`; the preferred `TEL` (else a mobile, else the first that is not a fax) and `EMAIL`.
    /// A card whose name, phone or e-mail cannot be read as text is skipped with the reason, never imported garbled.
    public static func contacts(vCard bytes: [UInt8]) -> (contacts: [ImportedContact], skipped: [Int: String]) {
        var contacts: [ImportedContact] = []
        var skipped: [Int: String] = [:]
        for (index, card) in VCard.cards(in: bytes).enumerated() {
            let number = index + 1
            guard card.isComplete else {
                skipped[number] = "the card starting on line \(card.line) has no END:VCARD, so the file is cut short: export the contacts again"
                continue
            }
            do {
                guard let name = try name(of: card) else {
                    skipped[number] = "no name"
                    continue
                }
                contacts.append(ImportedContact(name: name, phone: try phone(of: card), email: try email(of: card), line: number))
            } catch {
                skipped[number] = error.description
            }
        }
        return (contacts, skipped)
    }

    private static func name(of card: VCard) throws(VCardError) -> String? {
        if let formatted = card.first("FN") {
            let name = oneLine(try formatted.text())
            if !name.isEmpty { return name }
        }
        if let components = try card.first("N")?.components() {
            // Family; given; additional; prefixes; suffixes, written as people say them.
            let name = oneLine([3, 1, 2, 0, 4].compactMap { components.indices.contains($0) ? components[$0] : nil }.joined(separator: " "))
            if !name.isEmpty { return name }
        }
        let organization = oneLine(try card.first("ORG")?.components().first ?? "")
        return organization.isEmpty ? nil : organization
    }

    private static func phone(of card: VCard) throws(VCardError) -> String? {
        let numbers = card.all("TEL").filter { !$0.isEmpty }
        func rank(_ property: VCard.Property) -> Int {
            let types = property.types
            if property.isPreferred { return 0 }
            if types.contains("CELL") || types.contains("MOBILE") { return 1 }
            if types.contains("FAX") || types.contains("PAGER") { return 3 }
            return 2
        }
        guard let chosen = numbers.enumerated().min(by: { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) })?.element else {
            return nil
        }
        var number = oneLine(try chosen.text())
        // vCard 4.0 writes a number as a URI, tel:+30-210-1234567;ext=12: the number without its parameters.
        if number.lowercased().hasPrefix("tel:") || chosen.parameters["VALUE"]?.first?.lowercased() == "uri" {
            if number.lowercased().hasPrefix("tel:") { number.removeFirst(4) }
            number = String(number.prefix { $0 != ";" }).removingPercentEncoding ?? number
        }
        return number.isEmpty ? nil : number
    }

    private static func email(of card: VCard) throws(VCardError) -> String? {
        let addresses = card.all("EMAIL").filter { !$0.isEmpty }
        guard let chosen = addresses.first(where: \.isPreferred) ?? addresses.first else { return nil }
        let address = oneLine(try chosen.text())
        return address.isEmpty ? nil : address
    }

    /// Runs of spaces and line breaks as one space, without spaces around.
    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
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
