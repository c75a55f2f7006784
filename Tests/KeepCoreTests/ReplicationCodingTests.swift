import Foundation
import PropertyBased
import Testing

@testable import KeepCore

/// The JSON form of replicated state, as `Sync/MERGE.md` describes it to other clients.
@Suite struct ReplicationCodingTests {
    private func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    /// Ana creates a customer, Bea deletes it while Ana edits the phone: a deletion conflict.
    private func conflicted() throws -> RecordState {
        var ana = Replica(Fixture.ana, by: "ana")
        ana.write(["name": .text("Mrs Okafor"), "phone": .null], at: 1_000)
        var bea = Replica(Fixture.bea, by: "bea")
        try bea.receive(from: ana)
        bea.delete(at: 3_000)
        ana.write(["phone": .integer(101)], at: 2_000)
        return try Merge.records(ana.state, bea.state)
    }

    @Test func recordStateHasTheDocumentedShape() throws {
        let a = Fixture.ana.rawValue
        let b = Fixture.bea.rawValue
        let expected = """
            {"context":{"\(a)":2,"\(b)":1},\
            "fields":{\
            "name":[{"at":1000,"by":"ana","dot":{"counter":1,"replica":"\(a)"},"value":"Mrs Okafor"}],\
            "phone":[{"at":2000,"by":"ana","dot":{"counter":2,"replica":"\(a)"},"value":101}]},\
            "id":"\(Fixture.record)",\
            "kind":"customer",\
            "tombstones":[{"at":3000,"by":"bea","dot":{"counter":1,"replica":"\(b)"},"seen":{"\(a)":1}}]}
            """
        let state = try conflicted()
        #expect(try json(state) == expected)
        #expect(try decode(RecordState.self, expected) == state)
    }

    /// The example of `Sync/MERGE.md` section 7 is a real state, built here by the writes its text tells.
    @Test func theSpecExampleMeansWhatItSays() throws {
        let spec = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../Sync/MERGE.md")
        let text = try String(contentsOf: spec, encoding: .utf8)
        let block = try #require(text.firstRange(of: "```json\n").map { text[$0.upperBound...] })
        let example = try decode(RecordState.self, String(try #require(block.firstRange(of: "```").map { block[..<$0.lowerBound] })))

        let id = try #require(RecordID("5d1c8e2f0a9b4c7d8e1f2a3b4c5d6e7f"))
        let ana = try #require(ReplicaID("3f9a1c0e5b7d2a46"))
        let bea = try #require(ReplicaID("a04e7b19c2d8f351"))
        let cy = try #require(ReplicaID("c7e2b8d0916a4f53"))
        var anas = RecordState(id: id, kind: .customer)
        anas.write(
            ["name": .text("Mrs Okafor"), "phone": .text("0101"), "vip": .bool(false), "email": .null],
            dot: Dot(replica: ana, counter: 41),
            at: 1_763_800_000_000,
            by: "ana"
        )
        var beas = anas
        beas.delete(dot: Dot(replica: bea, counter: 17), at: 1_763_800_300_000, by: "bea")
        var cys = anas
        cys.write(["phone": .text("0303")], dot: Dot(replica: cy, counter: 9), at: 1_763_800_250_000, by: "cy")
        anas.write(["phone": .text("0202")], dot: Dot(replica: ana, counter: 44), at: 1_763_800_200_000, by: "ana")

        #expect(example == (try mergeAll([anas, beas, cys])))
        #expect(example.isWellFormed)
        #expect(example.values("phone") == [.text("0303"), .text("0202")])
        #expect(!example.isDeleted)
        #expect(example.conflicts.map(\.key) == ["\(id)/phone", "\(id)/deleted"])
    }

    @Test func conflictingEntriesAreAnArraySortedByDot() throws {
        var ana = Replica(Fixture.ana, by: "ana")
        var bea = Replica(Fixture.bea, by: "bea")
        bea.write(["vip": .bool(true)], at: 5)
        ana.write(["vip": .bool(false)], at: 9)
        let merged = try Merge.records(bea.state, ana.state)
        let a = Fixture.ana.rawValue
        let b = Fixture.bea.rawValue
        #expect(
            try json(merged.fields["vip"]!)
                == #"[{"at":9,"by":"ana","dot":{"counter":1,"replica":"\#(a)"},"value":false},"#
                + #"{"at":5,"by":"bea","dot":{"counter":1,"replica":"\#(b)"},"value":true}]"#
        )
    }

    @Test func decodedStatesKeepTheirConflicts() throws {
        let state = try conflicted()
        let decoded = try decode(RecordState.self, try json(state))
        #expect(decoded.conflicts == state.conflicts)
        #expect(decoded.hasDeleteConflict)
        #expect(decoded.isWellFormed)
    }

    /// Another client may list tombstones and entries in any order: the decoded state is the normalized one.
    @Test func decodingNormalizesAPeersOrder() throws {
        let a = Fixture.ana.rawValue
        let b = Fixture.bea.rawValue
        let peer = """
            {"tombstones":[{"dot":{"replica":"\(b)","counter":1},"seen":{},"at":0,"by":"bea"},\
            {"dot":{"replica":"\(a)","counter":1},"seen":{},"at":0,"by":"ana"}],\
            "fields":{"note":[],"vip":[{"dot":{"replica":"\(b)","counter":2},"value":true,"at":5,"by":"bea"},\
            {"dot":{"replica":"\(a)","counter":2},"value":false,"at":9,"by":"ana"}]},\
            "context":{"\(b)":2,"\(a)":2},"kind":"note","id":"\(Fixture.record)"}
            """
        let state = try decode(RecordState.self, peer)
        #expect(state.tombstones.map(\.dot.replica) == [Fixture.ana, Fixture.bea])
        #expect(state.entries("vip").map(\.dot.replica) == [Fixture.ana, Fixture.bea])
        #expect(state.fields.keys.sorted() == ["vip"], "an empty register is no register")
        #expect(try Merge.records(state, state) == state)
        #expect(try decode(RecordState.self, try json(state)) == state)
    }

    /// Decoding does not judge causality: a receiver checks `isWellFormed` before merging a peer's state.
    @Test func decodingLeavesWellFormednessToTheReceiver() throws {
        let a = Fixture.ana.rawValue
        let uncovered = """
            {"id":"\(Fixture.record)","kind":"note","context":{},"tombstones":[],\
            "fields":{"text":[{"dot":{"replica":"\(a)","counter":3},"value":"hi","at":0,"by":"ana"}]}}
            """
        #expect(!(try decode(RecordState.self, uncovered).isWellFormed))
    }

    @Test func fieldValuesArePlainJSON() throws {
        #expect(
            try json([FieldValue.null, .bool(true), .bool(false), .integer(0), .integer(1), .integer(-5), .text("1"), .text("")])
                == #"[null,true,false,0,1,-5,"1",""]"#
        )
        let decoded = try decode([FieldValue].self, #"[null,true,false,0,1,-5,"1","",9223372036854775807]"#)
        #expect(decoded == [.null, .bool(true), .bool(false), .integer(0), .integer(1), .integer(-5), .text("1"), .text(""), .integer(.max)])
    }

    @Test func aNullValueInAnEntryRoundTrips() throws {
        let entry = FieldEntry(dot: Dot(replica: Fixture.ana, counter: 1), value: .null, at: 0, by: "ana")
        let text = try json(entry)
        #expect(text.contains(#""value":null"#))
        #expect(try decode(FieldEntry.self, text) == entry)
    }

    @Test(arguments: ["1.5", "[]", "{}", "18446744073709551615"])
    func fieldValuesRejectOtherJSON(_ json: String) {
        #expect(throws: DecodingError.self) { try decode(FieldValue.self, json) }
    }

    @Test(arguments: [
        #"{"id":"0123","kind":"customer","context":{},"fields":{},"tombstones":[]}"#,
        #"{"id":"0123456789abcdef0123456789abcdef","kind":"invoice","context":{},"fields":{},"tombstones":[]}"#,
        #"{"id":"0123456789abcdef0123456789abcdef","kind":"note","context":{"x":1},"fields":{},"tombstones":[]}"#,
        #"{"id":"0123456789ABCDEF0123456789ABCDEF","kind":"note","context":{},"fields":{},"tombstones":[]}"#,
    ])
    func recordStatesRejectMalformedJSON(_ json: String) {
        #expect(throws: DecodingError.self) { try decode(RecordState.self, json) }
    }

    @Test func kindsTravelAsTheirNames() throws {
        #expect(RecordKind.allCases.map(\.rawValue) == ["customer", "note", "promise", "followup", "purchase", "survey", "shop"])
    }

    private static let fieldValues = Gen<FieldValue>.oneOf(
        Gen.always(FieldValue.null).eraseToAnySequence(),
        Gen.bool.map(FieldValue.bool).eraseToAnySequence(),
        Gen.int64().map(FieldValue.integer).eraseToAnySequence(),
        Gen<Character>.oneOf(Gen.ascii.eraseToAnySequence(), Gen.character(in: "\u{80}"..."\u{D7FF}").eraseToAnySequence())
            .string(of: 0...12).map(FieldValue.text).eraseToAnySequence()
    )

    @Test func fieldValuesRoundTripThroughJSON() async {
        await propertyCheck(count: 300, input: Self.fieldValues) { value in
            let decoded = try decode(FieldValue.self, try json(value))
            #expect(decoded == value)
        }
    }

    @Test func theCanonicalJSONIsWhatJSONEncoderWritesWithSortedKeys() throws {
        let state = try conflicted()
        #expect(String(decoding: state.canonicalJSON, as: UTF8.self) == (try json(state)))
        var texts = Replica(Fixture.ana, by: "Ελένη \"Λένα\" \\ a/b")
        texts.write(
            [
                "name": .text("Σεπιδέ رضایی Žydrūnė\n\t\r\u{8}\u{C}\u{1}\u{1F}\u{7F}\u{2028}😀"), "vip": .bool(true),
                "owes": .integer(-9_007_199_254_740_993),
                "big": .integer(Int64.min), "zero": .integer(0), "email": .null, "answeredAt": .integer(1), "answer": .text(""),
            ],
            at: -1
        )
        let written = texts.state.canonicalJSON
        #expect(try JSONDecoder().decode(RecordState.self, from: written) == texts.state)
        #expect(String(decoding: written, as: UTF8.self) == (try json(texts.state)))
    }

    @Test func everyStateOfRandomHistoriesReadsBackFromItsCanonicalJSON() throws {
        for seed in 1...40 as ClosedRange<UInt64> {
            for state in try ReplicationHistory(seed: seed).allVersions {
                #expect(try JSONDecoder().decode(RecordState.self, from: state.canonicalJSON) == state, "seed \(seed)")
                #expect(String(decoding: state.canonicalJSON, as: UTF8.self) == (try json(state)), "seed \(seed)")
            }
        }
    }
}
