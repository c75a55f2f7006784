import Foundation
import KeepCore
import Testing

@Suite("Contact import")
struct ContactImportTests {
    @Test func googleOutlookAndPlainHeadersAreFound() throws {
        let google = try ContactFile.contacts(
            header: ["Name", "Given Name", "Family Name", "Phone 1 - Type", "Phone 1 - Value", "E-mail 1 - Type", "E-mail 1 - Value"],
            rows: [["Μαρία Παπαδοπούλου", "Μαρία", "Παπαδοπούλου", "Mobile", "+30 210 123 4567", "Home", "maria@example.gr"]]
        )
        #expect(google.contacts == [ImportedContact(name: "Μαρία Παπαδοπούλου", phone: "+30 210 123 4567", email: "maria@example.gr", line: 2)])
        let outlook = try ContactFile.contacts(
            header: ["First Name", "Last Name", "Mobile Phone", "E-mail Address"],
            rows: [["Žydrūnė", "Šimkutė", "+370 612 34567", ""], ["", "", "", ""], ["", "", "+1", "x@y.z"]]
        )
        #expect(outlook.contacts.map(\.name) == ["Žydrūnė Šimkutė"])
        #expect(outlook.contacts.first?.email == nil, "an empty cell is no e-mail")
        #expect(outlook.skipped == [4: "no name"], "a blank row is not reported; a row without a name is")
        #expect(throws: ImportError.self) { try ContactFile.contacts(header: ["Phone", "Email"], rows: [["1", "a@b"]]) }
    }

    @Test func vCardsWithFoldedLinesGroupsAndParameters() {
        let text = """
            BEGIN:VCARD\r
            VERSION:3.0\r
            N:احمدی;مریم;;;\r
            FN:مریم احمدی\r
            item1.TEL;TYPE=CELL:+98 912 \r
             345 6789\r
            EMAIL;TYPE=INTERNET:maryam@example.ir\r
            END:VCARD\r
            BEGIN:VCARD\r
            VERSION:2.1\r
            N:Petraitis;Jonas\r
            TEL:+370 600 00000\r
            END:VCARD\r
            BEGIN:VCARD\r
            TEL:123\r
            END:VCARD\r
            """
        let read = ContactFile.contacts(vCard: text)
        #expect(read.contacts.map(\.name) == ["مریم احمدی", "Jonas Petraitis"])
        #expect(read.contacts.first?.phone == "+98 912 345 6789")
        #expect(read.contacts.first?.email == "maryam@example.ir")
        #expect(read.skipped == [3: "no name"])
    }

    @Test func aPlanMatchesByEmailThenPhoneThenNameAndOnlyFillsIn() {
        let maria = RecordID.random()
        let jonas = RecordID.random()
        let existing = [
            ImportPlan.Existing(id: maria, name: "Μαρία Παπαδοπούλου", phone: nil, email: "maria@example.gr"),
            ImportPlan.Existing(id: jonas, name: "Jonas Petraitis", phone: "+370 600 00000", email: nil),
        ]
        let contacts = [
            ImportedContact(name: "M. Papadopoulou", phone: "210 123", email: "MARIA@example.gr", line: 2),
            ImportedContact(name: "J. P.", phone: "370600 00000", email: "jonas@example.lt", line: 3),
            ImportedContact(name: "ΜΑΡΊΑ ΠΑΠΑΔΟΠΟΎΛΟΥ", phone: nil, email: nil, line: 4),
            ImportedContact(name: "مریم احمدی", phone: nil, email: nil, line: 5),
            ImportedContact(name: "مریم احمدی", phone: "+98 912", email: nil, line: 6),
        ]
        let plan = ImportPlan(contacts: contacts, existing: existing)
        #expect(plan.actions[0] == .fill(maria, name: "Μαρία Παπαδοπούλου", phone: "210 123", email: nil, line: 2))
        #expect(plan.actions[1] == .fill(jonas, name: "Jonas Petraitis", phone: nil, email: "jonas@example.lt", line: 3))
        #expect(plan.actions[2] == .unchanged(maria, line: 4), "the name matches ignoring case and accents, and it has gained its phone")
        #expect(plan.actions[3] == .add(contacts[3]))
        if case .fill(_, let name, let phone, nil, 6) = plan.actions[4] {
            #expect(name == "مریم احمدی" && phone == "+98 912", "a row repeating an added contact fills it in rather than adding it twice")
        } else {
            Issue.record("expected the repeated contact to fill in its phone, got \(plan.actions[4])")
        }
        #expect((plan.added, plan.filled, plan.unchanged) == (1, 3, 1))

        let again = ImportPlan(
            contacts: [contacts[0]],
            existing: [ImportPlan.Existing(id: maria, name: "Μαρία Παπαδοπούλου", phone: "210 123", email: "maria@example.gr")]
        )
        #expect(again.actions == [.unchanged(maria, line: 2)], "importing the same contact again changes nothing")
    }

    /// Each contact is looked up in dictionaries, not compared with every customer: 30,000 contacts against 30,000
    /// customers take well under a second in a release build (comparing each with each took minutes).
    @Test func aPlanTakesTimeInProportionToTheContacts() {
        func mobile(_ index: Int) -> String { "69" + String(format: "%08d", index) }
        let existing = (0..<30_000).map { index in
            ImportPlan.Existing(
                id: RecordID.random(),
                name: "Πελάτης \(index)",
                phone: "+30 " + mobile(index),
                email: index % 3 == 0 ? "c\(index)@example.gr" : nil
            )
        }
        let contacts = (0..<30_000).map { index in
            ImportedContact(name: "Νέος πελάτης \(index)", phone: mobile(index + 15_000), email: nil, line: index + 2)
        }
        let start = ContinuousClock.now
        let plan = ImportPlan(contacts: contacts, existing: existing, countryCode: CountryCode("30"))
        let elapsed = ContinuousClock.now - start
        #expect((plan.added, plan.filled, plan.unchanged) == (15_000, 0, 15_000), "the first half are the customers' numbers without +30")
        #expect(elapsed < .seconds(20), "\(elapsed)")
    }
}
