import Foundation
import Testing

/// Phone numbers compared by their digits, however they were written: in `keep search`, in a REF, and in
/// `keep customer import`'s duplicate check, with the shop's country code from `keep config set country-code`.
@Suite("Phone numbers")
struct PhoneNumberCommandTests {
    let folder: String
    let keep: KeepProcess

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-phone-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        keep = KeepProcess(storePath: folder + "/keep.sqlite")
        #expect(try keep.run("init", "--agent", "Ελένη").status == 0)
        for (name, phone) in [
            ("Μαρία Παπαδοπούλου", "+30 210 123 4567"), ("Νίκος Γεωργίου", "+30 697 000 1111"), ("Žydrūnė Šimkutė", "+370 612 34567"),
            ("مریم احمدی", "0912 345 6789"),
        ] {
            let added = try keep.run("customer", "add", name, "--phone", phone)
            #expect(added.status == 0, "\(added.stderr)")
        }
    }

    private func found(_ query: String) throws -> [String] {
        let result = try keep.run("search", query, "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let hits = try #require(try result.json() as? [[String: Any]])
        return hits.compactMap { $0["customerName"] as? String }
    }

    @Test func searchFindsANumberWrittenAnotherWay() throws {
        #expect(try keep.run("config", "set", "country-code", "30").status == 0)
        for query in ["2101234567", "210 123 4567", "210-1234567", "+302101234567", "00302101234567", "0030 210 123 4567", "(210) 123-4567"] {
            #expect(try found(query) == ["Μαρία Παπαδοπούλου"], "keep search \(query)")
        }
        #expect(try found("697000") == ["Νίκος Γεωργίου"], "the start of a number")
        #expect(try found("0037061234567") == ["Žydrūnė Šimkutė"])
        #expect(try found("+98 912 345 6789") == ["مریم احمدی"], "a number written nationally, with its trunk 0")
        #expect(try found("۰۹۱۲۳۴۵۶۷۸۹") == ["مریم احمدی"], "Persian digits")
    }

    @Test func aRefMayBeThePhoneNumber() throws {
        #expect(try keep.run("config", "set", "country-code", "+30").status == 0)
        let note = try keep.run("note", "add", "2101234567", "Τηλεφώνησε για την εγγύηση")
        #expect(note.status == 0, "\(note.stderr)")
        let shown = try keep.run("customer", "show", "00306970001111")
        #expect(shown.status == 0 && shown.stdout.contains("Νίκος Γεωργίου"), "\(shown.stdout)\(shown.stderr)")
        let notes = try #require(try keep.run("note", "list", "Παπαδοπούλου", "--json").json() as? [[String: Any]])
        #expect(notes.count == 1)
    }

    @Test func importingANumberWithoutTheCountryCodeFillsInRatherThanDuplicating() throws {
        #expect(try keep.run("config", "set", "country-code", "30").status == 0)
        let csv = folder + "/phone.csv"
        try Data("Name,Mobile Phone,E-mail\nΝ. Γεωργίου,6970001111,nikos@example.gr\nΜ. Π.,00302101234567,\n".utf8).write(
            to: URL(fileURLWithPath: csv)
        )
        let result = try #require(try keep.run("customer", "import", csv, "--json").json() as? [String: Any])
        #expect(result["added"] as? Int == 0, "\(result)")
        #expect(result["filledIn"] as? Int == 1 && result["unchanged"] as? Int == 1, "\(result)")
        let list = try #require(try keep.run("customer", "list", "--json").json() as? [[String: Any]])
        #expect(list.count == 4)
        #expect(list.first { $0["name"] as? String == "Νίκος Γεωργίου" }?["email"] as? String == "nikos@example.gr")
    }

    @Test func theCountryCodeIsASettingWithAClearMessage() throws {
        #expect(try keep.run("config", "set", "country-code", "+370").stdout.contains("country-code is now +370"))
        let list = try keep.run("config")
        #expect(list.stdout.contains("country-code") && list.stdout.contains("+370"), "\(list.stdout)")
        let wrong = try keep.run("config", "set", "country-code", "Greece")
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("not a country calling code") && wrong.stderr.contains("30"), "\(wrong.stderr)")
        #expect(try keep.run("config", "set", "country-code", "none").status == 0)
        #expect(try keep.run("config").stdout.contains("none"))
    }
}
