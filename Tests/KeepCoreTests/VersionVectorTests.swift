import Foundation
import PropertyBased
import Testing

@testable import KeepCore

@Suite struct VersionVectorTests {
    private let a = Fixture.ana
    private let b = Fixture.bea

    @Test func containsWhatItCounted() {
        let vector = VersionVector([a: 3])
        #expect(vector.contains(Dot(replica: a, counter: 1)))
        #expect(vector.contains(Dot(replica: a, counter: 3)))
        #expect(!vector.contains(Dot(replica: a, counter: 4)))
        #expect(!vector.contains(Dot(replica: b, counter: 1)))
        #expect(vector[b] == 0)
    }

    @Test func insertOnlyRaises() {
        var vector = VersionVector()
        vector.insert(Dot(replica: a, counter: 5))
        vector.insert(Dot(replica: a, counter: 2))
        vector.insert(Dot(replica: b, counter: 1))
        #expect(vector == VersionVector([a: 5, b: 1]))
    }

    @Test func zeroCountersAreNotStored() {
        #expect(VersionVector([a: 0]) == VersionVector())
        #expect(VersionVector([a: 0]).isEmpty)
        #expect(VersionVector([a: 0, b: 2]).counters == [b: 2])
    }

    @Test func unionIsThePointwiseMaximum() {
        #expect(VersionVector([a: 3, b: 1]).union(VersionVector([b: 4])) == VersionVector([a: 3, b: 4]))
    }

    @Test func dominationIsAPartialOrder() {
        let small = VersionVector([a: 1])
        let big = VersionVector([a: 2, b: 1])
        let other = VersionVector([b: 7])
        #expect(small.isDominated(by: big) && !big.isDominated(by: small))
        #expect(!small.isDominated(by: other) && !other.isDominated(by: small), "concurrent")
        #expect(VersionVector().isDominated(by: small))
        #expect(small.isDominated(by: small))
    }

    @Test func descriptionIsSortedByReplica() {
        #expect(VersionVector([b: 2, a: 1]).description == "[\(a):1, \(b):2]")
        #expect(Dot(replica: a, counter: 3).description == "\(a):3")
    }

    @Test func dotsOrderByReplicaThenCounter() {
        #expect(Dot(replica: a, counter: 9) < Dot(replica: b, counter: 1))
        #expect(Dot(replica: a, counter: 2) < Dot(replica: a, counter: 10))
    }

    @Test func encodesAsAnObjectOfCounters() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(VersionVector([b: 2, a: 1])), as: UTF8.self)
        #expect(json == #"{"\#(a)":1,"\#(b)":2}"#)
        #expect(String(decoding: try encoder.encode(VersionVector()), as: UTF8.self) == "{}")
        let decoded = try JSONDecoder().decode(VersionVector.self, from: Data(json.utf8))
        #expect(decoded == VersionVector([a: 1, b: 2]))
    }

    @Test(arguments: [#"{"ANA":1}"#, #"{"aaaa":1}"#, #"{"aaaaaaaaaaaaaaaa":-1}"#, #"[1]"#])
    func rejectsMalformedVectors(_ json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(VersionVector.self, from: Data(json.utf8)) }
    }

    // MARK: Laws, on random vectors over four replicas

    private static let vectors = Gen.uint64(in: 0...6).array(of: 4).map { counters in
        VersionVector(Dictionary(uniqueKeysWithValues: zip(Fixture.replicas, counters)))
    }

    @Test func unionIsASemilattice() async {
        await propertyCheck(count: 300, input: Self.vectors, Self.vectors, Self.vectors) { x, y, z in
            #expect(x.union(y) == y.union(x))
            #expect(x.union(y).union(z) == x.union(y.union(z)))
            #expect(x.union(x) == x)
            #expect(x.isDominated(by: x.union(y)) && y.isDominated(by: x.union(y)))
        }
    }

    @Test func dominationMatchesUnion() async {
        await propertyCheck(count: 300, input: Self.vectors, Self.vectors, Self.vectors) { x, y, z in
            #expect(x.isDominated(by: y) == (x.union(y) == y))
            if x.isDominated(by: y) && y.isDominated(by: x) { #expect(x == y) }
            if x.isDominated(by: y) && y.isDominated(by: z) { #expect(x.isDominated(by: z)) }
        }
    }

    @Test func containsMatchesDomination() async {
        await propertyCheck(count: 300, input: Self.vectors, Gen.int(in: 0...3), Gen.uint64(in: 1...7)) { vector, replica, counter in
            let dot = Dot(replica: Fixture.replicas[replica], counter: counter)
            #expect(vector.contains(dot) == VersionVector([dot.replica: dot.counter]).isDominated(by: vector))
            var inserted = vector
            inserted.insert(dot)
            #expect(inserted.contains(dot))
            #expect(inserted == vector.union(VersionVector([dot.replica: dot.counter])))
        }
    }

    @Test func roundTripsThroughJSON() async throws {
        await propertyCheck(count: 100, input: Self.vectors) { vector in
            let decoded = try JSONDecoder().decode(VersionVector.self, from: JSONEncoder().encode(vector))
            #expect(decoded == vector)
        }
    }
}
