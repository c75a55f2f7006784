import Foundation
import KeepCore
import KeepWire

/// The fuzz target: any bytes as the body of a push, and, for whatever decodes, the laws the merge must keep.
///
/// Built by `scripts/fuzz` with `-sanitize=fuzzer` (libFuzzer calls ``fuzzOneInput``); built plainly it is
/// `keep-fuzz FILE|DIR...`, which runs saved inputs through the same checks, so a crash found once stays a
/// regression test (Tests/FuzzCorpus).
enum FuzzTarget {
    /// Checks one input; a broken law stops the process, which is what a fuzzer looks for.
    static func run(_ data: Data) {
        let direct = try? PushRequest.read(json: data)
        guard let push = try? JSONDecoder().decode(PushRequest.self, from: data) else {
            check(direct == nil, "the direct reader reads a push that JSONDecoder refuses")
            return
        }
        check(direct == nil || direct == push, "the direct reader reads a push otherwise than JSONDecoder")
        for record in push.records {
            check(roundTrips: record)
            _ = Authorship.violation(incoming: record, current: nil, author: push.replica)
            _ = record.conflicts
            _ = record.isDeleted
            guard record.isWellFormed else { continue }
            check(try? Merge.records(record, record) == record, "merging a record with itself changes it")
            for other in push.records where other.id == record.id && other.kind == record.kind && other.isWellFormed {
                let accepted = Authorship.violation(incoming: other, current: record, author: push.replica) == nil
                guard let joined = try? Merge.records(record, other), let reversed = try? Merge.records(other, record) else {
                    fail("two records of the same id and kind do not merge")
                }
                check(joined == reversed, "the merge is not commutative")
                check(joined.isWellFormed, "the merge of well-formed records is not well formed")
                check(try? Merge.records(joined, other) == joined, "merging again changes the result")
                check(record.context.isDominated(by: joined.context), "the merge lost part of a context")
                check(!accepted || overwritesWhatItDrops(joined, from: record), "an accepted push drops a value nobody wrote over")
            }
        }
    }

    /// Whether every value of `held` that `joined` no longer holds gave way to a write `held` had not seen: what the
    /// server's no-erasure rule promises of a push it accepts (PROTOCOL.md §5.2).
    private static func overwritesWhatItDrops(_ joined: RecordState, from held: RecordState) -> Bool {
        for (field, register) in held.fields {
            let kept = joined.fields[field]?.entries ?? []
            let lost = register.entries.contains { entry in !kept.contains { $0.dot == entry.dot } }
            if lost, !kept.contains(where: { !held.context.contains($0.dot) }) { return false }
        }
        let lostDelete = held.tombstones.contains { tombstone in !joined.tombstones.contains { $0.dot == tombstone.dot } }
        return !lostDelete || !joined.context.isDominated(by: held.context)
    }

    /// A decoded record encodes to JSON that decodes to the same record, and its canonical JSON reads back directly.
    private static func check(roundTrips record: RecordState) {
        guard let encoded = try? JSONEncoder().encode(record) else { fail("a decoded record does not encode") }
        check(try? JSONDecoder().decode(RecordState.self, from: encoded) == record, "a record does not survive encoding")
        check(try? StateJSONReader.state(record.canonicalJSON) == record, "a record does not survive its canonical JSON")
    }

    private static func check(_ condition: Bool?, _ law: String) {
        if condition != true { fail(law) }
    }

    private static func fail(_ law: String) -> Never {
        fatalError("keep-fuzz: \(law)")
    }
}

#if FUZZING
/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    FuzzTarget.run(Data(bytes: bytes, count: count))
    return 0
}
#else
/// Replays saved inputs: `keep-fuzz FILE|DIR...`.
@main
enum Replay {
    static func main() {
        let paths = CommandLine.arguments.dropFirst()
        guard !paths.isEmpty else {
            print("usage: keep-fuzz FILE|DIR...  (runs each input through the fuzz target's checks; see scripts/fuzz)")
            exit(64)
        }
        var count = 0
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                FileHandle.standardError.write(Data("keep-fuzz: no such file or folder: \(path)\n".utf8))
                exit(66)
            }
            let files =
                isFolder.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 } : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                FuzzTarget.run(data)
                count += 1
            }
        }
        print("keep-fuzz: \(count) inputs passed")
    }
}
#endif
