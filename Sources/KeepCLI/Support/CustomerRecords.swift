import KeepCore
import KeepStore

/// Everything the book holds about one customer, read in one snapshot: what `customer export` prints and
/// `customer story` tells.
struct CustomerRecords {
    let notes: [Note]
    let promises: [Promise]
    let followUps: [FollowUp]
    let purchases: [Purchase]
    let surveys: [Survey]

    init(of customer: RecordID, in store: ReplicaStore) throws {
        (notes, promises, followUps, purchases, surveys) = try store.snapshot { store in
            (
                try store.notes(customer: customer),
                try store.promises(.all, customer: customer),
                try store.followUps(openOnly: false, customer: customer),
                try store.purchases(customer: customer, limit: Int.max),
                try store.surveys().filter { $0.customerID == customer }
            )
        }
    }

    /// The kinds of record about a customer, in the order people read them.
    static let kinds: [RecordKind] = [.note, .promise, .followUp, .purchase, .survey]

    /// How many records of each kind.
    var counts: [RecordKind: Int] {
        [.note: notes.count, .promise: promises.count, .followUp: followUps.count, .purchase: purchases.count, .survey: surveys.count]
    }
}
