import Foundation
import KeepCore
import Testing

/// The merge vectors of `Sync/vectors/merge/`: what any replica must compute from the versions of a record.
///
/// Every vector is merged in every order of its versions, grouped from the left and from the right, with
/// repeats: the result must always be the vector's `merged` state, with its deletion and its conflicts.
@Suite struct ConformanceVectorTests {
    /// Vectors that must exist: a vector lost from the folder fails here rather than silently not running.
    static let required = [
        "concurrent-deletes", "concurrent-writes-one-field", "delete-that-saw-the-edit", "delete-vs-concurrent-edit",
        "deletion-conflict-deleted-again", "deletion-conflict-kept", "disjoint-fields", "identical-versions",
        "null-value-and-unknown-field", "same-time-tie-break-and-value-kinds", "stale-version-after-newer", "three-replica-trap",
        "write-that-saw-both-settles", "write-that-saw-one-side",
    ]

    static let names = MergeVectorFolder.names(required: required)

    @Test func theFolderHoldsTheRequiredVectors() throws {
        let folder = try MergeVectorFolder.url()
        let present = try MergeVectorFolder.listed(in: folder)
        #expect(Set(Self.required).isSubset(of: present), "missing from \(folder.path): \(Set(Self.required).subtracting(present).sorted())")
    }

    @Test(arguments: ConformanceVectorTests.names)
    func mergedInEveryOrderGivesTheVectorsState(_ name: String) throws {
        let vector = try MergeVectorFolder.load(name)
        try #require(!vector.versions.isEmpty, "\(name): a vector needs at least one version")
        for (index, version) in vector.versions.enumerated() {
            #expect(version.isWellFormed, "\(name): version \(index) is not well formed")
            #expect(try Merge.records(version, version) == version, "\(name): version \(index) merged with itself changed")
        }
        for order in permutations(of: Array(vector.versions.indices)) {
            let states = order.map { vector.versions[$0] }
            let fromLeft = try states.dropFirst().reduce(states[0]) { try Merge.records($0, $1) }
            let fromRight = try states.dropLast().reversed().reduce(states[states.count - 1]) { try Merge.records($1, $0) }
            #expect(fromLeft == vector.merged, "\(name): merging versions \(order) from the left")
            #expect(fromRight == vector.merged, "\(name): merging versions \(order) from the right")
            let repeated = try (states + states.reversed()).dropFirst().reduce(states[0]) { try Merge.records($0, $1) }
            #expect(repeated == vector.merged, "\(name): merging versions \(order) twice over")
        }
        #expect(try Merge.records(vector.merged, vector.merged) == vector.merged, "\(name): the merged state merged with itself changed")
        for (index, version) in vector.versions.enumerated() {
            #expect(try Merge.records(vector.merged, version) == vector.merged, "\(name): version \(index) received after the merge changed it")
        }
    }

    @Test(arguments: ConformanceVectorTests.names)
    func theMergedStateReadsAsTheVectorSays(_ name: String) throws {
        let vector = try MergeVectorFolder.load(name)
        let merged = vector.merged
        #expect(merged.isWellFormed, "\(name): the merged state is not well formed")
        #expect(merged.isDeleted == vector.isDeleted, "\(name): isDeleted")
        let conflicts = merged.conflicts.map {
            MergeVector.ExpectedConflict(key: $0.key, shown: $0.winner?.value ?? .null, others: $0.losers.map(\.value))
        }
        #expect(conflicts == vector.conflicts, "\(name): conflicts")
        for conflict in merged.conflicts {
            #expect(conflict.key.hasPrefix(merged.id.rawValue + "/"), "\(name): a conflict key starts with the record id")
        }
    }

    @Test(arguments: ConformanceVectorTests.names)
    func theVectorsStatesSurviveAJSONRoundTrip(_ name: String) throws {
        let vector = try MergeVectorFolder.load(name)
        for state in vector.versions + [vector.merged] {
            let again = try JSONDecoder().decode(RecordState.self, from: try JSONEncoder().encode(state))
            #expect(again == state, "\(name): \(state.id) changed through JSON")
        }
    }

    @Test func theVectorsCoverTheCasesTheyAreNamedFor() throws {
        #expect(try MergeVectorFolder.load("three-replica-trap").conflicts.map(\.others.count) == [1])
        #expect(try MergeVectorFolder.load("concurrent-deletes").merged.tombstones.count == 2)
        #expect(try MergeVectorFolder.load("delete-vs-concurrent-edit").conflicts.map(\.key).allSatisfy { $0.hasSuffix("/deleted") })
        let identical = try MergeVectorFolder.load("identical-versions")
        #expect(Set(identical.versions).count == 1 && identical.versions.count > 1 && !identical.conflicts.isEmpty)
        let stale = try MergeVectorFolder.load("stale-version-after-newer")
        #expect(stale.versions.first == stale.merged, "the newest version comes first, the stale ones after it")
    }
}

/// One merge vector: versions of a record in, the merged state, its deletion and its conflicts out.
struct MergeVector: Decodable {
    struct ExpectedConflict: Decodable, Equatable, CustomStringConvertible {
        let key: String
        /// The value shown; null for a deletion conflict, which shows no value.
        let shown: FieldValue
        /// The other values, strongest first.
        let others: [FieldValue]

        var description: String { "\(key): \(shown) over \(others)" }
    }

    let description: String
    let versions: [RecordState]
    let merged: RecordState
    let isDeleted: Bool
    let conflicts: [ExpectedConflict]
}

/// `Sync/vectors/merge/` in this repository, found from this file's path.
enum MergeVectorFolder {
    static func url() throws -> URL {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                let vectors = folder.appendingPathComponent("Sync/vectors/merge")
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: vectors.path, isDirectory: &isFolder), isFolder.boolValue else {
                    throw VectorMissing(path: vectors.path)
                }
                return vectors
            }
            folder.deleteLastPathComponent()
        }
        throw VectorMissing(path: "Package.swift above \(#filePath)")
    }

    static func listed(in folder: URL) throws -> Set<String> {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        return Set(files.map { String($0.dropLast(".json".count)) })
    }

    /// The required names and every vector in the folder, so that a new vector runs without editing the tests.
    static func names(required: [String]) -> [String] {
        let listed = (try? url()).flatMap { try? self.listed(in: $0) } ?? []
        return listed.union(required).sorted()
    }

    static func load(_ name: String) throws -> MergeVector {
        let file = try url().appendingPathComponent(name + ".json")
        guard let data = FileManager.default.contents(atPath: file.path) else { throw VectorMissing(path: file.path) }
        return try JSONDecoder().decode(MergeVector.self, from: data)
    }
}

struct VectorMissing: Error, CustomStringConvertible {
    let path: String
    var description: String { "conformance vectors missing: \(path)" }
}

/// Every order of `items` (Heap's algorithm); vectors hold a handful of versions.
func permutations<T>(of items: [T]) -> [[T]] {
    var result: [[T]] = []
    var items = items
    func generate(_ count: Int) {
        if count <= 1 {
            result.append(items)
            return
        }
        generate(count - 1)
        for index in 0..<(count - 1) {
            items.swapAt(count.isMultiple(of: 2) ? index : 0, count - 1)
            generate(count - 1)
        }
    }
    generate(items.count)
    return result
}
