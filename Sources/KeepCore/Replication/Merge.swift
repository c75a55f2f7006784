/// The merge of two versions of one record: the heart of sync. Pure, and the rules of `Sync/MERGE.md`.
///
/// A record state is a causal context plus dotted values, and the merge is their join:
/// - the contexts are united (pointwise maximum);
/// - a value (field entry or tombstone) survives when both sides hold it, or when the side that
///   lacks it has not seen its dot: a side that saw a dot and no longer holds it has overwritten it.
///
/// The join is commutative, associative and idempotent, so replicas converge whatever the order,
/// grouping or repetition of syncs; and because concurrent values are all kept (a multi-value
/// register) the displayed pick is a function of the merged set, never of the merge order.
public enum Merge {
    /// Why two states cannot be merged.
    public struct Mismatch: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
    }

    /// The join of two versions of the same record.
    public static func records(_ a: RecordState, _ b: RecordState) throws(Mismatch) -> RecordState {
        guard a.id == b.id else { throw Mismatch(description: "cannot merge record \(a.id) with record \(b.id)") }
        guard a.kind == b.kind else {
            throw Mismatch(description: "record \(a.id) is a \(a.kind.rawValue) on one side and a \(b.kind.rawValue) on the other")
        }
        var fields: [String: FieldRegister] = [:]
        for name in Set(a.fields.keys).union(b.fields.keys) {
            let entries = join(
                a.fields[name]?.entries ?? [],
                a.context,
                b.fields[name]?.entries ?? [],
                b.context
            )
            if !entries.isEmpty { fields[name] = FieldRegister(entries) }
        }
        return RecordState(
            id: a.id,
            kind: a.kind,
            context: a.context.union(b.context),
            fields: fields,
            tombstones: join(a.tombstones, a.context, b.tombstones, b.context)
        )
    }

    /// Joins two dotted sets under their causal contexts.
    ///
    /// When both sides hold the same dot with different contents (only a corrupt or hostile peer
    /// can cause that), the greater one is kept so that the result still does not depend on order.
    static func join<Value: Dotted>(_ a: [Value], _ contextA: VersionVector, _ b: [Value], _ contextB: VersionVector) -> [Value] {
        var byDot: [Dot: Value] = [:]
        let dotsA = Dictionary(a.map { ($0.dot, $0) }, uniquingKeysWith: max)
        let dotsB = Dictionary(b.map { ($0.dot, $0) }, uniquingKeysWith: max)
        for (dot, value) in dotsA {
            if let other = dotsB[dot] {
                byDot[dot] = max(value, other)
            } else if !contextB.contains(dot) {
                byDot[dot] = value
            }
        }
        for (dot, value) in dotsB where dotsA[dot] == nil && !contextA.contains(dot) {
            byDot[dot] = value
        }
        return byDot.values.sorted { $0.dot < $1.dot }
    }
}

/// A value tagged with the write that made it.
protocol Dotted: Comparable {
    var dot: Dot { get }
}

extension FieldEntry: Dotted {}
extension Tombstone: Dotted {}
