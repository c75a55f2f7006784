import KeepCore
import Testing

/// vCards as phones and mail programs really write them: Android's 2.1 with quoted-printable, iOS's 3.0,
/// Outlook's and Google's exports, 4.0 with tel: URIs; in Greek, Lithuanian and Persian.
@Suite("vCard")
struct VCardTests {
    /// Android's "Export to .vcf" (vCard 2.1): every non-ASCII name quoted-printable UTF-8, long values continued
    /// after a soft line break ("=" at the end of the line), N's components in their own order.
    @Test func androidQuotedPrintableGreekNamesAreDecoded() {
        let text = """
            BEGIN:VCARD\r
            VERSION:2.1\r
            N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=CE=93=CE=B5=CF=89=CF=81=CE=B3=CE=AF=CE=BF=CF=85;=CE=9D=CE=AF=CE=BA=CE=BF=CF=82;;;\r
            FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=CE=9D=CE=AF=CE=BA=CE=BF=CF=82 =CE=93=CE=B5=CF=89=CF=81=CE=B3=CE=AF=CE=BF=CF=85\r
            TEL;CELL:+30 697 000 1111\r
            END:VCARD\r
            BEGIN:VCARD\r
            VERSION:2.1\r
            FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=CE=91=CE=B9=CE=BA=CE=B1=CF=84=CE=B5=CF=81=CE=AF=CE=BD=CE=B7 =CE=A0=\r
            =CE=B1=CF=80=CE=B1=CE=B4=CE=BF=CF=80=CE=BF=CF=8D=CE=BB=CE=BF=CF=85-=CE=9A=CF=89=CE=BD=CF=83=CF=84=CE=B1=CE=BD=\r
            =CF=84=CE=B9=CE=BD=CE=AF=CE=B4=CE=BF=CF=85\r
            TEL;HOME:210 123 4567\r
            TEL;CELL;PREF:6970002222\r
            END:VCARD\r
            BEGIN:VCARD\r
            VERSION:2.1\r
            N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jonaitien=C4=97;Ona;;;\r
            TEL;CELL:+370 612 34567\r
            EMAIL;HOME:ona@example.lt\r
            END:VCARD\r

            """
        let read = ContactFile.contacts(vCard: text)
        #expect(read.skipped.isEmpty, "\(read.skipped)")
        #expect(read.contacts.map(\.name) == ["Νίκος Γεωργίου", "Αικατερίνη Παπαδοπούλου-Κωνσταντινίδου", "Ona Jonaitienė"])
        #expect(read.contacts.map(\.phone) == ["+30 697 000 1111", "6970002222", "+370 612 34567"], "the preferred number, else the first")
        #expect(read.contacts.last?.email == "ona@example.lt")
    }

    /// The legacy character sets older phones and Outlook write, quoted-printable in an ASCII file.
    @Test func legacyCharsetsAreDecoded() {
        let text = """
            BEGIN:VCARD
            VERSION:2.1
            FN;CHARSET=ISO-8859-7;ENCODING=QUOTED-PRINTABLE:=C1=E9=EA=E1=F4=E5=F1=DF=ED=E7 =CF=E9=EA=EF=ED=FC=EC=EF=F5
            END:VCARD
            BEGIN:VCARD
            VERSION:2.1
            FN;CHARSET=WINDOWS-1253;QUOTED-PRINTABLE:=D3=EF=F6=DF=E1 =C4=E7=EC=E7=F4=F1=DF=EF=F5
            END:VCARD
            BEGIN:VCARD
            VERSION:2.1
            FN;ENCODING=QUOTED-PRINTABLE;CHARSET=windows-1257:=DEydr=FBn=EB =D0imkut=EB
            END:VCARD
            BEGIN:VCARD
            VERSION:2.1
            FN;CHARSET=ISO-8859-13;ENCODING=QUOTED-PRINTABLE:=DEydr=FBn=EB =D0imkut=EB
            END:VCARD
            BEGIN:VCARD
            VERSION:2.1
            FN;CHARSET=windows-1256;ENCODING=QUOTED-PRINTABLE:=E3=D1=ED=E3 =C7=CD=E3=CF=ED
            END:VCARD

            """
        let read = ContactFile.contacts(vCard: text)
        #expect(read.skipped.isEmpty, "\(read.skipped)")
        // Windows-1256 has no Persian yeh: the phone wrote the Arabic one, which search folds to the same letter.
        #expect(read.contacts.map(\.name) == ["Αικατερίνη Οικονόμου", "Σοφία Δημητρίου", "Žydrūnė Šimkutė", "Žydrūnė Šimkutė", "مريم احمدي"])
        #expect(SearchText.fold(read.contacts[4].name) == SearchText.fold("مریم احمدی"))
    }

    /// iOS (3.0), Outlook and Google exports, and 4.0: TYPE lists, preferred numbers, escapes, BASE64 text, tel: URIs.
    @Test func theFormsOfVersionsThreeAndFour() {
        let text = """
            BEGIN:VCARD
            VERSION:3.0
            PRODID:-//Apple Inc.//iPhone OS 17.0//EN
            N:Παπαδοπούλου;Μαρία;;;
            FN:Μαρία Παπαδοπούλου
            item1.EMAIL;type=INTERNET;type=pref:maria@example.gr
            TEL;type=HOME;type=VOICE:210 123 4567
            TEL;type=CELL;type=VOICE;type=pref:+30 697 000 3333
            END:VCARD
            BEGIN:VCARD
            VERSION:3.0
            FN:Petraitis\\, Jonas \\\\ UAB \\;Baldai\\;
            TEL;TYPE=WORK,FAX:+370 5 000 0000
            TEL;TYPE=CELL,VOICE:+370 600 00000
            END:VCARD
            BEGIN:VCARD
            VERSION:3.0
            FN;ENCODING=b;CHARSET=UTF-8:zqPOv8+Gzq/OsSDOlM63zrzOt8+Ez4HOr86/z4U=
            END:VCARD
            BEGIN:VCARD
            VERSION:4.0
            FN:Žydrūnė Šimkutė
            TEL;VALUE=uri;TYPE="voice,cell";PREF=1:tel:+370-612-34567;ext=12
            EMAIL;TYPE=work:zydrune@example.lt
            END:VCARD
            BEGIN:VCARD
            VERSION:3.0
            N:احمدی;مریم;;خانم;
            TEL;TYPE=CELL:۰۹۱۲ ۳۴۵ ۶۷۸۹
            END:VCARD

            """
        let read = ContactFile.contacts(vCard: text)
        #expect(read.skipped.isEmpty, "\(read.skipped)")
        #expect(
            read.contacts.map(\.name) == [
                "Μαρία Παπαδοπούλου", "Petraitis, Jonas \\ UAB ;Baldai;", "Σοφία Δημητρίου", "Žydrūnė Šimkutė", "خانم مریم احمدی",
            ]
        )
        #expect(read.contacts.map(\.phone) == ["+30 697 000 3333", "+370 600 00000", nil, "+370-612-34567", "۰۹۱۲ ۳۴۵ ۶۷۸۹"])
        #expect(read.contacts.first?.email == "maria@example.gr")
    }

    /// What cannot be read is skipped with the reason, never imported as garbage.
    @Test func unreadableCardsAreSkippedWithTheReason() {
        let text = """
            BEGIN:VCARD
            VERSION:2.1
            FN;CHARSET=KOI8-Q;ENCODING=QUOTED-PRINTABLE:=E1=E2=E3
            END:VCARD
            BEGIN:VCARD
            VERSION:2.1
            FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=CE=9D=CE=AF=CE=BA=CE=BF=CF=8Z
            END:VCARD
            BEGIN:VCARD
            VERSION:2.1
            FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=CE=9D=CE
            END:VCARD
            BEGIN:VCARD
            VERSION:3.0
            FN:Ona Jonaitienė
            END:VCARD
            BEGIN:VCARD
            VERSION:3.0
            FN:Jonas

            """
        let read = ContactFile.contacts(vCard: text)
        #expect(read.contacts.map(\.name) == ["Ona Jonaitienė"])
        #expect(Set(read.skipped.keys) == [1, 2, 3, 5])
        #expect(read.skipped[1]?.contains("KOI8-Q") == true, "\(read.skipped[1] ?? "")")
        #expect(read.skipped[2]?.contains("=8Z") == true, "\(read.skipped[2] ?? "")")
        #expect(read.skipped[3]?.contains("UTF-8") == true, "\(read.skipped[3] ?? "")")
        #expect(read.skipped[5]?.contains("END:VCARD") == true, "\(read.skipped[5] ?? "")")
        #expect(!read.skipped.values.contains { $0.contains("=CE") && !$0.contains(":") }, "reasons say what is wrong")
    }

    /// Older phones write a legacy charset's bytes as they are, not quoted-printable: the file is not UTF-8, and
    /// every card is read in its own CHARSET.
    @Test func rawBytesInTheCharsetEachCardNames() {
        var bytes = Array("BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=ISO-8859-7:".utf8)
        bytes += [193, 233, 234, 225, 244, 229, 241, 223, 237, 231, 32, 207, 233, 234, 239, 237, 252, 236, 239, 245]  // Αικατερίνη Οικονόμου
        bytes += Array("\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=ISO-8859-13:".utf8)
        bytes += [208, 105, 109, 107, 117, 116, 235, 59, 222, 121, 100, 114, 251, 110, 235]  // Šimkutė;Žydrūnė
        bytes += Array("\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nFN:".utf8)
        bytes += [193, 233, 234]  // ISO-8859-7 again, but no CHARSET says so
        bytes += Array("\r\nEND:VCARD\r\n".utf8)
        let read = ContactFile.contacts(vCard: bytes)
        #expect(read.contacts.map(\.name) == ["Αικατερίνη Οικονόμου", "Žydrūnė Šimkutė"])
        #expect(read.skipped[3]?.contains("not UTF-8 and names no CHARSET") == true, "\(read.skipped)")
    }

    /// The reader keeps each property's line and its parameters in every form, for messages and for choosing.
    @Test func propertiesKeepTheirLinesAndParameters() throws {
        let cards = VCard.cards(in: Array("\u{FEFF}BEGIN:VCARD\nVERSION:2.1\nTEL;WORK;VOICE;PREF:+30 210 123 4567\nEND:VCARD\n".utf8))
        let tel = try #require(cards.first?.first("TEL"))
        #expect(tel.line == 3)
        #expect(tel.types == ["WORK", "VOICE", "PREF"] && tel.isPreferred)
        #expect(try tel.text() == "+30 210 123 4567")
    }
}
