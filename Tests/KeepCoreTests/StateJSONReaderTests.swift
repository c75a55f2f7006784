import Foundation
import Testing

@testable import KeepCore

/// The direct reader reads a state only when `JSONDecoder` reads the same state from the same bytes.
@Suite("Reading states straight from JSON")
struct StateJSONReaderTests {
    /// What JSONDecoder makes of `data`, or nil where it refuses it.
    func decoded(_ data: Data) -> RecordState? { try? JSONDecoder().decode(RecordState.self, from: data) }

    /// The reader agrees with JSONDecoder: whatever it reads, JSONDecoder reads the same.
    func expectAgreement(_ text: String, mustRead: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        let data = Data(text.utf8)
        let direct = try? StateJSONReader.state(data)
        if let direct {
            #expect(decoded(data) == direct, "JSONDecoder reads it otherwise: \(text)", sourceLocation: sourceLocation)
        }
        if mustRead { #expect(direct != nil, "not read: \(text)", sourceLocation: sourceLocation) }
    }

    @Test func everyStateOfRandomHistoriesReadsBackAsJSONDecoderReadsIt() throws {
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted]
        for seed in 1...40 as ClosedRange<UInt64> {
            for state in try ReplicationHistory(seed: seed).allVersions {
                #expect(try StateJSONReader.state(state.canonicalJSON) == state, "seed \(seed)")
                #expect(try StateJSONReader.state(try pretty.encode(state)) == state, "pretty, seed \(seed)")
            }
        }
    }

    static let record = "0123456789abcdef0123456789abcdef"
    static let ana = "00000000000000a1"

    /// A note whose text field is written as `value`, in the member order `members` gives.
    static func note(_ value: String, at: String = "5") -> String {
        #"{"id":"\#(record)","kind":"note","context":{"\#(ana)":1},"tombstones":[],"fields":{"text":[{"dot":{"replica":"\#(ana)","counter":1},"value":\#(value),"at":\#(at),"by":"Ελένη"}]}}"#
    }

    @Test(arguments: [
        #""plain""#, #""é and \u00e9 and \u00C9""#, #""\ud83d\ude00 😀""#, #""a\/b \"q\" \\ \n\t\r\b\f""#, #""""#, "null", "true", "false",
        "0", "-1", "9223372036854775807", "-9223372036854775808", #""Σεπιδέ رضایی""#,
    ])
    func valuesReadAsJSONDecoderReadsThem(_ value: String) {
        expectAgreement(Self.note(value), mustRead: true)
    }

    @Test(arguments: [
        Self.note("1.0"), Self.note("1e3"), Self.note("-0"), Self.note("01"), Self.note("9223372036854775808"), Self.note("+1"),
        Self.note(#""\ud83d""#), Self.note(#""\x""#), Self.note("\"a\u{1}b\""), Self.note("[]"), Self.note("{}"), Self.note("nul"),
        Self.note("1", at: "1.5"), Self.note("1", at: "-"),
        #"{"id":"\#(record)","kind":"note","context":{},"fields":{},"tombstones":[],"extra":1}"#,
        #"{"id":"\#(record)","kind":"note","context":{},"fields":{},"tombstones":[],"id":"\#(record)"}"#,
        #"{"id":"\#(record)","kind":"note","context":{},"fields":{}}"#,
        #"{"id":"\#(record)","kind":"invoice","context":{},"fields":{},"tombstones":[]}"#,
        #"{"id":"\#(record)","kind":"note","context":{"x":1},"fields":{},"tombstones":[]}"#,
        #"{"id":"\#(record)","kind":"note","context":{"\#(ana)":1,"\#(ana)":2},"fields":{},"tombstones":[]}"#,
        #"{"id":"\#(record)","kind":"note","context":{},"fields":{},"tombstones":[]} x"#,
        #"{"id":"\#(record)","kind":"note","context":{},"fields":{},"tombstones":[],}"#,
        "\u{FEFF}" + #"{"id":"\#(record)","kind":"note","context":{},"fields":{},"tombstones":[]}"#,
        "", "[]", "{", #"{"id""#,
    ])
    func whatTheReaderDeclinesIsLeftToJSONDecoder(_ text: String) {
        expectAgreement(text, mustRead: false)
        #expect((try? StateJSONReader.state(Data(text.utf8))) == nil, "the direct reader declines: \(text)")
    }

    @Test func invalidUTF8IsDeclined() {
        var bytes = Array(Self.note(#""ok""#).utf8)
        let quote = bytes.firstIndex(of: UInt8(ascii: "o"))!
        bytes[quote] = 0xFF
        #expect((try? StateJSONReader.state(Data(bytes))) == nil)
        #expect(decoded(Data(bytes)) == nil)
    }

    @Test func spacesAnywhereJSONAllowsThem() {
        expectAgreement(
            " \n{ \"id\" : \"\(Self.record)\" ,\t\"kind\":\"note\",\"context\":{ },\"fields\":{ },\"tombstones\":[ ] }\r\n",
            mustRead: true
        )
    }
}
