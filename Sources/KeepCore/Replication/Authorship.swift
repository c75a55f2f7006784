/// The rule that keeps devices honest: a device may author changes only under its own replica id.
///
/// A push may bring new dots only of the pushing replica. A dot of another replica is accepted only
/// when the receiver already holds that very value, or has already seen and overwritten it; and the
/// push may not claim to have seen more of another replica than the receiver has (a forged context
/// would make the merge drop values nobody overwrote).
///
/// Nor may a push erase: a value the receiver holds may leave it only for a write the receiver has not seen
/// (see ``erasure(incoming:current:)``).
///
/// After the receiver was restored from a backup it has lost writes that its devices still hold and must
/// relay to it again. `relayable` then says, for each replica, up to which counter it is known to have
/// written (the receiver acknowledged those writes before the restore): a relayed dot or context claim
/// within that bound is a real write, not a forgery, and cannot swallow that replica's future writes.
public enum Authorship {
    /// Why `incoming`, pushed by `author`, breaks the rule against the receiver's `current` state; nil when it does not.
    public static func violation(
        incoming: RecordState,
        current: RecordState?,
        author: ReplicaID,
        relayable: VersionVector = VersionVector()
    ) -> String? {
        guard incoming.isWellFormed else { return "record \(incoming.id) is not well formed: a dot is missing from its context or held twice" }
        // A conflict in such a field could never be settled: its key would name the deletion conflict.
        if incoming.fields[Conflict.deletionName] != nil {
            return
                "record \(incoming.id) has a field named \"\(Conflict.deletionName)\", a name reserved for deletion conflicts: upgrade keep on this laptop"
        }
        if let current {
            guard current.kind == incoming.kind else { return "record \(incoming.id) is a \(current.kind.rawValue), not a \(incoming.kind.rawValue)" }
        }
        let known = (current?.context ?? VersionVector()).union(relayable)
        for (replica, counter) in incoming.context.counters where replica != author && counter > known[replica] {
            return "record \(incoming.id) claims writes of replica \(replica) up to \(counter) that the server has not seen"
        }
        for (field, register) in incoming.fields {
            for entry in register.entries {
                // A write is what it was: not even its author may change it after the fact.
                if let held = current?.fields[field]?.entries.first(where: { $0.dot == entry.dot }) {
                    guard held == entry else { return changed(incoming.id, "write \(entry.dot) in field \(field)", author: author, dot: entry.dot) }
                } else if entry.dot.replica != author, !known.contains(entry.dot) {
                    return "record \(incoming.id) carries write \(entry.dot) of another replica in field \(field)"
                }
            }
        }
        for tombstone in incoming.tombstones {
            if let held = current?.tombstones.first(where: { $0.dot == tombstone.dot }) {
                guard held == tombstone else { return changed(incoming.id, "delete \(tombstone.dot)", author: author, dot: tombstone.dot) }
            } else if tombstone.dot.replica != author, !known.contains(tombstone.dot) {
                return "record \(incoming.id) carries delete \(tombstone.dot) of another replica"
            }
        }
        if let current { return erasure(incoming: incoming, current: current) }
        return nil
    }

    /// Why `incoming` would make the join drop a value of `current` that nobody wrote over; nil when it would not.
    ///
    /// A state that has seen a value and no longer holds it says it was overwritten, and the join obeys. That is
    /// true only if the state also brings the overwrite: an entry may leave a field only for a write of that field
    /// the receiver has not seen, and a tombstone only for some write the receiver has not seen (a newer delete, or
    /// a write that kept the record, which may write no field and so stands only in the context). "Seen" is the
    /// receiver's own context, never what it may accept relayed: a relayed overwrite after a restore is a write the
    /// restored store has not seen, and replaces the entry it restored.
    public static func erasure(incoming: RecordState, current: RecordState) -> String? {
        for (field, register) in current.fields {
            let kept = incoming.fields[field]?.entries ?? []
            let dropped = register.entries.first { held in incoming.context.contains(held.dot) && !kept.contains { $0.dot == held.dot } }
            guard let dropped, !kept.contains(where: { !current.context.contains($0.dot) }) else { continue }
            return
                "record \(incoming.id) leaves out value \(dropped.dot) of field \(field) without writing the field again: a value leaves a field only when it is written over"
        }
        let dropped = current.tombstones.first { held in
            incoming.context.contains(held.dot) && !incoming.tombstones.contains { $0.dot == held.dot }
        }
        if let dropped, incoming.context.isDominated(by: current.context) {
            return "record \(incoming.id) leaves out delete \(dropped.dot) without a newer write: a delete is taken back only by a later write"
        }
        return nil
    }

    /// Two writes under one dot: forged if the dot is another replica's; if it is the author's own, its store
    /// was most likely put back from an old copy and is minting counters it had already used.
    private static func changed(_ id: RecordID, _ what: String, author: ReplicaID, dot: Dot) -> String {
        guard dot.replica == author else { return "record \(id) changes the value of \(what)" }
        return
            "record \(id) reuses \(what) with another value: this store was probably put back from an old copy; keep its file aside and sync a new store made with `keep init`"
    }
}
