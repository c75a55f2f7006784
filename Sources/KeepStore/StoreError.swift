import Foundation

/// Why the store could not do what was asked. Every case says what went wrong and what to do about it.
///
/// A struct around a private enum, so that new cases never break callers.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// The broad kind of failure, for choosing an exit status.
    public enum Category: Sendable {
        case notFound
        case invalidInput
        /// A record received from another replica broke the rules of the merge.
        case rejected
        case unavailable
        case damaged
        case permission
        case internalFailure
    }

    enum Reason: Sendable {
        case noStore(path: String)
        case alreadyExists(path: String)
        case locked(path: String)
        case corrupt(path: String, detail: String)
        case notAKeepwordStore(path: String)
        case newerSchema(path: String)
        case olderSchema(path: String, version: Int)
        case cannotOpen(path: String, detail: String)
        case readOnly(path: String)
        case diskFull(path: String)
        case noSuchRecord(String)
        case wrongKind(id: String, expected: String, found: String)
        case deleted(id: String)
        case invalid(String)
        case rejected(String)
        case database(String)
        case nothingToUndo
        case irreversible(change: String, why: UndoableChange.Irreversible)
        case changedSince(change: String, problems: [String])
    }

    let reason: Reason

    init(_ reason: Reason) {
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .noStore(let path):
            "no Keepword store at \(path): run `keep init` to create one, or point --store or KEEP_STORE at an existing store"
        case .alreadyExists(let path):
            "a Keepword store already exists at \(path): use it as it is, or choose another path with --store"
        case .locked(let path):
            "the store at \(path) is locked by another program for too long: wait for it to finish and try again"
        case .corrupt(let path, let detail):
            "the store at \(path) is damaged (\(detail)): restore it from a backup or sync it into a new store; nothing was changed"
        case .notAKeepwordStore(let path):
            "\(path) is not a Keepword store: point --store or KEEP_STORE at a store made by `keep init`"
        case .newerSchema(let path):
            "the store at \(path) was written by a newer version of keep: upgrade keep to use it; nothing was changed"
        case .olderSchema(let path, let version):
            "the store at \(path) has schema version \(version), older than this build's \(SchemaStatus.latestVersion): migrate it first (keep-server migrate); nothing was changed"
        case .cannotOpen(let path, let detail):
            "cannot open the store at \(path) (\(detail)): check that the folder exists and that you may write to it"
        case .readOnly(let path):
            "the store at \(path) is read-only for you: reading it works (today, search, the lists), changing it does not; nothing was changed. To change it, ask its owner, or make it writable (chmod u+w)"
        case .diskFull(let path):
            "the disk holding \(path) is full: free some space and try again; nothing was changed"
        case .noSuchRecord(let id):
            "no record \(id) in this store: check the id with the matching list command"
        case .wrongKind(let id, let expected, let found):
            "\(id) is a \(found), not a \(expected): use the \(found) command instead"
        case .deleted(let id):
            "\(id) was deleted: nothing to change"
        case .invalid(let message):
            message
        case .rejected(let problem):
            "a received record was refused (\(problem)); nothing was changed"
        case .database(let detail):
            "the store failed unexpectedly (\(detail)): nothing was changed; please report this"
        case .nothingToUndo:
            "nothing to undo: this laptop has no change left to take back (it keeps its last \(UndoLog.changeLimit))"
        case .irreversible(let change, .forget):
            "cannot take back \"\(change)\": forgotten data is erased for good, and no change older than a forget can be taken back; nothing was changed"
        case .irreversible(_, .forgotten):
            "cannot take back the last change: it was about a customer forgotten since (keep customer forget), whose data is erased for good, and no older change can be taken back; nothing was changed"
        case .changedSince(let change, let problems):
            "cannot take back \"\(change)\": \(problems.first ?? "it was changed since")"
                + (problems.count > 1 ? " (and \(problems.count - 1) more, below)" : "")
                + ": change it by hand, or run keep undo --force to put the earlier values back anyway; nothing was changed"
        }
    }

    public var category: Category {
        switch reason {
        case .noStore, .noSuchRecord, .deleted: .notFound
        case .alreadyExists, .wrongKind, .invalid, .nothingToUndo, .irreversible, .changedSince: .invalidInput
        case .rejected: .rejected
        case .locked, .diskFull: .unavailable
        case .corrupt, .notAKeepwordStore, .newerSchema, .olderSchema: .damaged
        case .cannotOpen, .readOnly: .permission
        case .database: .internalFailure
        }
    }

    /// Lines to show after the description: what stands in the way of `keep undo`, one a line.
    public var details: [String] {
        if case .changedSince(_, let problems) = reason, problems.count > 1 { problems.map { "  " + $0 } } else { [] }
    }

    /// A store-level rejection of bad input, with the message to show.
    public static func invalid(_ message: String) -> StoreError { StoreError(.invalid(message)) }

    /// Whether the store needs `keep-server migrate` (an older schema) or a newer build (a newer one).
    public var isSchemaMismatch: Bool {
        switch reason {
        case .olderSchema, .newerSchema: true
        default: false
        }
    }

    /// The file the error is about, where it is about one.
    public var path: String? {
        switch reason {
        case .noStore(let path), .alreadyExists(let path), .locked(let path), .notAKeepwordStore(let path), .newerSchema(let path),
            .readOnly(let path), .diskFull(let path):
            path
        case .corrupt(let path, _), .olderSchema(let path, _), .cannotOpen(let path, _): path
        default: nil
        }
    }

    /// Whether the file is damaged or is not a store at all: nothing will read it until it is restored.
    public var isDamage: Bool {
        switch reason {
        case .corrupt, .notAKeepwordStore: true
        default: false
        }
    }

    /// What was wrong with a rejected record, for a rejection; nil for other errors.
    public var rejection: String? {
        if case .rejected(let problem) = reason { problem } else { nil }
    }
}
