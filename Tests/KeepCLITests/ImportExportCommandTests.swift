import Foundation
import Testing

/// `keep customer import`, `keep customer export` and `keep export` as a shop owner uses them.
@Suite("Import and export")
struct ImportExportCommandTests {
    let folder: String
    let keep: KeepProcess

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-import-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        keep = KeepProcess(storePath: folder + "/keep.sqlite")
        #expect(try keep.run("init", "--agent", "Ελένη").status == 0)
    }

    private func file(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func customers() throws -> [[String: Any]] {
        try #require(try keep.run("customer", "list", "--json").json() as? [[String: Any]])
    }

    @Test func aSpreadsheetImportsOnceAndASecondImportChangesNothing() throws {
        let csv = try file(
            "contacts.csv",
            "\u{FEFF}Name;Phone;E-mail\nΜαρία Παπαδοπούλου;+30 210 123 4567;maria@example.gr\n\"Šimkutė, Žydrūnė\";+370 612 34567;\n;;\nمریم احمدی;;maryam@example.ir\n"
        )
        let dry = try keep.run("customer", "import", csv, "--dry-run")
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("Would add 3"), "\(dry.stdout)")
        #expect(try customers().isEmpty, "a dry run changes nothing")

        let first = try #require(try keep.run("customer", "import", csv, "--json").json() as? [String: Any])
        #expect(first["added"] as? Int == 3)
        #expect(Set(try customers().compactMap { $0["name"] as? String }) == ["Μαρία Παπαδοπούλου", "Šimkutė, Žydrūnė", "مریم احمدی"])
        let second = try #require(try keep.run("customer", "import", csv, "--json").json() as? [String: Any])
        #expect(second["added"] as? Int == 0 && second["filledIn"] as? Int == 0 && second["unchanged"] as? Int == 3)
        #expect(try customers().count == 3)
    }

    @Test func aPhonesVCardsFillInWhatIsMissing() throws {
        #expect(try keep.run("customer", "add", "Jonas Petraitis").status == 0)
        let vcf = try file(
            "phone.vcf",
            "BEGIN:VCARD\nVERSION:3.0\nFN:Jonas Petraitis\nTEL:+370 600 00000\nEND:VCARD\nBEGIN:VCARD\nFN:Νίκος Γεωργίου\nEND:VCARD\n"
        )
        let result = try #require(try keep.run("customer", "import", vcf, "--json").json() as? [String: Any])
        #expect(result["added"] as? Int == 1 && result["filledIn"] as? Int == 1)
        let jonas = try customers().first { $0["name"] as? String == "Jonas Petraitis" }
        #expect(jonas?["phone"] as? String == "+370 600 00000")
    }

    /// An Android phone's "Export to .vcf": vCard 2.1, names quoted-printable, one card in a legacy Greek charset
    /// written as raw bytes, and one in a charset nobody reads, which the dry run names and the import skips.
    @Test func anAndroidExportArrivesInGreekNotAsQuotedPrintable() throws {
        var bytes = Data(
            """
            BEGIN:VCARD\r
            VERSION:2.1\r
            N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=CE=93=CE=B5=CF=89=CF=81=CE=B3=CE=AF=CE=BF=CF=85;=CE=9D=CE=AF=CE=BA=CE=BF=CF=82;;;\r
            FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=CE=9D=CE=AF=CE=BA=CE=BF=CF=82 =CE=93=CE=B5=CF=89=CF=81=CE=B3=CE=AF=CE=BF=CF=85\r
            TEL;CELL;PREF:+30 697 000 1111\r
            END:VCARD\r
            BEGIN:VCARD\r
            VERSION:2.1\r
            FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=CE=91=CE=B9=CE=BA=CE=B1=CF=84=CE=B5=CF=81=CE=AF=CE=BD=CE=B7 =CE=A0=\r
            =CE=B1=CF=80=CE=B1=CE=B4=CE=BF=CF=80=CE=BF=CF=8D=CE=BB=CE=BF=CF=85\r
            TEL;HOME:210 123 4567\r
            END:VCARD\r
            BEGIN:VCARD\r
            VERSION:2.1\r
            FN;CHARSET=ISO-8859-7:
            """.utf8
        )
        // "Κωνσταντίνος Αλεξίου" in ISO-8859-7, as an older phone wrote it: raw bytes, not UTF-8.
        bytes += [202, 249, 237, 243, 244, 225, 237, 244, 223, 237, 239, 242, 32, 193, 235, 229, 238, 223, 239, 245]
        bytes += Data(
            """
            \r
            END:VCARD\r
            BEGIN:VCARD\r
            VERSION:2.1\r
            FN;CHARSET=KOI8-Q;ENCODING=QUOTED-PRINTABLE:=E1=E2=E3\r
            END:VCARD\r

            """.utf8
        )
        let vcf = folder + "/android.vcf"
        try bytes.write(to: URL(fileURLWithPath: vcf))

        let dry = try keep.run("customer", "import", vcf, "--dry-run")
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("add     Νίκος Γεωργίου, +30 697 000 1111"), "\(dry.stdout)")
        #expect(dry.stdout.contains("add     Αικατερίνη Παπαδοπούλου, 210 123 4567"), "\(dry.stdout)")
        #expect(dry.stdout.contains("add     Κωνσταντίνος Αλεξίου"), "\(dry.stdout)")
        #expect(!dry.stdout.contains("=CE"), "\(dry.stdout)")
        #expect(dry.stderr.contains("card 4") && dry.stderr.contains("KOI8-Q"), "the unreadable card is named: \(dry.stderr)")
        #expect(try customers().isEmpty, "a dry run changes nothing")

        let imported = try #require(try keep.run("customer", "import", vcf, "--json").json() as? [String: Any])
        #expect(imported["added"] as? Int == 3)
        #expect((imported["skipped"] as? [[String: Any]])?.first?["line"] as? Int == 4)
        let names = try customers().compactMap { $0["name"] as? String }
        #expect(Set(names) == ["Νίκος Γεωργίου", "Αικατερίνη Παπαδοπούλου", "Κωνσταντίνος Αλεξίου"])
        #expect(try !keep.run("search", "γεωργιου").stdout.contains("Nothing found"))
    }

    /// A big import shows how far it is on a terminal (as `keep sync` does), and nothing of it in a pipe.
    @Test func aBigImportShowsItsProgressOnATerminalOnly() throws {
        let rows = (0..<2_000).map { "Πελάτης \($0),+30 69\(String(format: "%08d", $0)),pelatis\($0)@example.gr" }
        let csv = try file("big.csv", "Name,Mobile,Email\n" + rows.joined(separator: "\n") + "\n")
        var terminal = keep
        terminal.environment["TERM"] = "xterm-256color"
        let command = [KeepProcess.executable.path, "customer", "import", csv].map { "'\($0)'" }.joined(separator: " ")
        let shown = try terminal.runProgram("/usr/bin/script", ["-qec", command, "/dev/null"])
        #expect(shown.status == 0, "\(shown.stdout)")
        #expect(shown.stdout.contains("importing 2000/2000 [##############################]"), "\(shown.stdout)")
        #expect(shown.stdout.contains("Added 2000, filled in 0, 0 already in the book, 0 skipped"), "\(shown.stdout)")

        let again = try keep.run("customer", "import", csv)
        #expect(again.stdout == "Added 0, filled in 0, 2000 already in the book, 0 skipped\n")
        #expect(again.stderr.isEmpty, "no progress into a pipe: \(again.stderr)")
    }

    @Test func unreadableFilesAreRefusedAndChangeNothing() throws {
        let noName = try file("no-name.csv", "Phone,Email\n123,a@b.c\n")
        let refused = try keep.run("customer", "import", noName)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("names no name column"), "\(refused.stderr)")
        let latin1 = folder + "/latin1.csv"
        try Data([0x4E, 0x61, 0x6D, 0x65, 0x0A, 0xC9, 0x6C, 0xE9, 0x6E, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: latin1))
        let notUTF8 = try keep.run("customer", "import", latin1)
        #expect(notUTF8.status == 65)
        #expect(notUTF8.stderr.contains("not UTF-8"), "\(notUTF8.stderr)")
        #expect(try keep.run("customer", "import", folder + "/missing.csv").status == 66)
        #expect(try customers().isEmpty)
    }

    @Test func exportsHoldEverything() throws {
        #expect(try keep.run("customer", "add", "Μαρία Παπαδοπούλου").status == 0)
        #expect(try keep.run("customer", "add", "Jonas Petraitis").status == 0)
        #expect(try keep.run("note", "add", "Μαρία", "Ζήτησε κατάλογο").status == 0)
        #expect(try keep.run("purchase", "add", "Μαρία", "Ψυγείο", "--amount", "899").status == 0)
        #expect(try keep.run("survey", "add", "Jonas", "--score", "5").status == 0)
        let book = try #require(try keep.run("export", "--json").json() as? [String: Any])
        #expect((book["customers"] as? [Any])?.count == 2)
        #expect((book["notes"] as? [Any])?.count == 1)
        #expect((book["purchases"] as? [Any])?.count == 1)
        #expect((book["surveys"] as? [Any])?.count == 1)
        let maria = try #require(try keep.run("customer", "export", "Μαρία").json() as? [String: Any])
        #expect((maria["customer"] as? [String: Any])?["name"] as? String == "Μαρία Παπαδοπούλου")
        #expect((maria["notes"] as? [Any])?.count == 1 && (maria["purchases"] as? [Any])?.count == 1)
        #expect((maria["surveys"] as? [Any])?.isEmpty == true, "only her own")
    }
}
