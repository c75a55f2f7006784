import KeepCore
import Testing

@Suite("Phone numbers")
struct PhoneNumberTests {
    let greece = CountryCode("30")
    let iran = CountryCode("+98")
    let lithuania = CountryCode("0037 0")

    private func same(_ a: String, _ b: String, in country: CountryCode?) -> Bool {
        guard let a = PhoneNumber(a), let b = PhoneNumber(b) else { return false }
        return a.isSame(as: b, in: country) && b.isSame(as: a, in: country)
    }

    @Test func countryCodesAreReadAsPeopleWriteThem() {
        #expect(greece?.digits == "30" && iran?.digits == "98" && lithuania?.digits == "370")
        #expect(CountryCode("Greece") == nil && CountryCode("0") == nil && CountryCode("3000") == nil && CountryCode("") == nil)
        #expect(greece?.description == "+30")
    }

    @Test func withTheShopsCountryCodeANumberIsOneNumberHoweverWritten() {
        let written = ["+30 210 123 4567", "0030 210 1234567", "210-123-4567", "(210) 123 4567", "+30 (0)210 123 4567", "302101234567"]
        for a in written {
            for b in written { #expect(same(a, b, in: greece), "\(a) and \(b)") }
        }
        #expect(!same("+1 210 123 4567", "210 123 4567", in: greece), "another country's number")
        #expect(same("0912 345 6789", "+98 912 345 6789", in: iran), "the trunk 0")
        #expect(same("۰۹۱۲ ۳۴۵ ۶۷۸۹", "+98 912 345 6789", in: iran), "Persian digits")
        #expect(same("8 612 34567", "+370 612 34567", in: lithuania), "Lithuania's trunk 8")
        #expect(!same("210 123 4567", "210 123 4568", in: greece))
    }

    @Test func withoutItANationalNumberMatchesAnInternationalOneEndingWithIt() {
        #expect(same("6970001111", "+30 697 000 1111", in: nil))
        #expect(same("0912 345 6789", "+98 912 345 6789", in: nil))
        #expect(same("370 600 00000", "+370 600 00000", in: nil), "an international number written without its +")
        #expect(!same("+30 210 123 4567", "+1 210 123 4567", in: nil), "two international numbers compare whole")
        #expect(!same("4567", "+30 210 123 4567", in: nil), "a few digits are not a number")
    }

    @Test func theSearchIndexHoldsTheFormsANumberIsDialledIn() throws {
        let international = try #require(PhoneNumber("+30 210 123 4567"))
        #expect(international.searchWords == ["302101234567", "02101234567", "2101234567", "101234567"])
        let national = try #require(PhoneNumber("0912 345 6789"))
        #expect(national.searchWords == ["09123456789", "9123456789"])
        // Every way of typing it asks for one of the words the index holds for the same number.
        for typed in ["2101234567", "00302101234567", "+30 210 1234567"] {
            let queries = try #require(PhoneNumber(typed)).searchQueries(in: greece)
            #expect(queries.contains { international.searchWords.contains($0) }, "\(typed): \(queries)")
        }
        #expect(try #require(PhoneNumber("+98 912 345 6789")).searchQueries(in: greece).contains("9123456789"))
        #expect(PhoneNumber(typed: "Παπαδοπούλου 210", minimumDigits: 5) == nil)
        #expect(PhoneNumber(typed: "2026", minimumDigits: 5) == nil, "a year is not a phone number")
        #expect(PhoneNumber(typed: "+30 (210) 123-4567", minimumDigits: 5)?.digits == "302101234567")
    }
}
