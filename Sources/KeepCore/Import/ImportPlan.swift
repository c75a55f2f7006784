/// What importing contacts would do to the book: add, fill in missing phones and e-mails, or leave as is.
///
/// A contact matches an existing customer by e-mail (ignoring case), else by phone (the same number by its digits,
/// with or without the country code: see ``PhoneNumber``), else by name (ignoring case and accents). A match only
/// gains what it lacks; nothing is ever overwritten, so importing the same file again changes nothing. Each
/// contact is looked up in dictionaries, so a plan takes time in proportion to the contacts and customers.
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

    /// - Parameter countryCode: the shop's, which makes a number written without it the same as one written with it.
    public init(contacts: [ImportedContact], existing: [Existing], countryCode: CountryCode? = nil) {
        var book = Book(countryCode: countryCode)
        for customer in existing { book.file(customer) }
        for contact in contacts {
            guard let index = book.match(contact) else {
                actions.append(.add(contact))
                book.file(Existing(id: RecordID.random(), name: contact.name, phone: contact.phone, email: contact.email))
                continue
            }
            let customer = book.customers[index]
            let phone = customer.phone == nil ? contact.phone : nil
            let email = customer.email == nil ? contact.email : nil
            if phone == nil && email == nil {
                actions.append(.unchanged(customer.id, line: contact.line))
            } else {
                actions.append(.fill(customer.id, name: customer.name, phone: phone, email: email, line: contact.line))
                book.fillIn(index, phone: phone, email: email)
            }
        }
    }

    public var added: Int { actions.filter { if case .add = $0 { true } else { false } }.count }
    public var filled: Int { actions.filter { if case .fill = $0 { true } else { false } }.count }
    public var unchanged: Int { actions.filter { if case .unchanged = $0 { true } else { false } }.count }

    /// The customers known so far, existing and planned, filed by e-mail, phone and name; the first filed under a
    /// key is the one it finds.
    private struct Book {
        let countryCode: CountryCode?
        var customers: [Existing] = []
        var byEmail: [String: Int] = [:]
        var byPhoneKey: [String: Int] = [:]
        var byPhoneGuess: [String: Int] = [:]
        var byName: [String: Int] = [:]

        init(countryCode: CountryCode?) { self.countryCode = countryCode }

        mutating func file(_ customer: Existing) {
            customers.append(customer)
            let index = customers.count - 1
            byName[SearchText.fold(customer.name)] = byName[SearchText.fold(customer.name)] ?? index
            fillIn(index, phone: customer.phone, email: customer.email)
        }

        /// Gives the customer at `index` a phone and an e-mail it lacked, and files it under them.
        mutating func fillIn(_ index: Int, phone: String?, email: String?) {
            if let email {
                customers[index].email = customers[index].email ?? email
                byEmail[email.lowercased()] = byEmail[email.lowercased()] ?? index
            }
            if let phone {
                customers[index].phone = customers[index].phone ?? phone
                if let keys = Self.phoneKeys(phone, countryCode) {
                    byPhoneKey[keys.key] = byPhoneKey[keys.key] ?? index
                    for guess in keys.guesses { byPhoneGuess[guess] = byPhoneGuess[guess] ?? index }
                }
            }
        }

        func match(_ contact: ImportedContact) -> Int? {
            if let email = contact.email?.lowercased(), let index = byEmail[email] { return index }
            if let phone = contact.phone, let keys = Self.phoneKeys(phone, countryCode) {
                // The same key, a customer whose guesses include this key, or a customer keyed by one of this one's guesses.
                if let index = byPhoneKey[keys.key] ?? byPhoneGuess[keys.key] ?? keys.guesses.lazy.compactMap({ byPhoneKey[$0] }).first {
                    return index
                }
            }
            return byName[SearchText.fold(contact.name)]
        }

        /// A number's keys, for numbers of 5 digits or more: shorter ones are extensions, not a customer's own.
        private static func phoneKeys(_ phone: String, _ countryCode: CountryCode?) -> (key: String, guesses: [String])? {
            guard let number = PhoneNumber(phone), number.digits.count >= 5 else { return nil }
            return number.matchKeys(in: countryCode)
        }
    }
}
