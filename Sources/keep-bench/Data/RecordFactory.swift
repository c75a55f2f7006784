import Foundation
import KeepCore

/// Writes full record states as one laptop (`replica`) would have made them offline: customers, notes and promises,
/// each created in one local write with the next dot of that laptop.
struct RecordFactory {
    let replica: ReplicaID
    let agent: String
    let corpus: Corpus
    let now: Date
    private(set) var counter: UInt64 = 0
    private(set) var fieldChanges = 0
    private var generator: SplitMix64
    private var customers: [RecordID] = []
    private var made = 0
    private var notesMade = 0
    private var promisesMade = 0

    init(replica: ReplicaID, agent: String = "Ελένη", corpus: Corpus, seed: UInt64 = 42, now: Date = Date()) {
        self.replica = replica
        self.agent = agent
        self.corpus = corpus
        self.now = now
        generator = SplitMix64(seed: seed)
    }

    /// The next record of a shop's usual mix: one customer, then two notes and a promise about earlier customers.
    mutating func next() -> RecordState {
        defer { made += 1 }
        switch made % 4 {
        case 0: return customer()
        case 1, 2: return note()
        default: return promise()
        }
    }

    /// Records until they hold at least `fieldChanges` field values between them.
    mutating func records(holdingFieldChanges target: Int) -> [RecordState] {
        var records: [RecordState] = []
        let start = fieldChanges
        while fieldChanges - start < target { records.append(next()) }
        return records
    }

    mutating func customer() -> RecordState {
        let index = customers.count
        let phone = "+30 210 \(1_000_000 + Int.random(in: 0..<9_000_000, using: &generator))"
        let email = index % 3 == 0 ? "customer\(index)@example.gr" : nil
        let state = make(.customer, Customer.creation(name: Corpus.customerName(index), phone: phone, email: email, at: now, by: agent))
        customers.append(state.id)
        return state
    }

    /// A note about an earlier customer; one in twenty is an inquiry still owed a reply.
    mutating func note() -> RecordState {
        defer { notesMade += 1 }
        let owed = notesMade % 20 == 0
        let text = corpus.sentences[Int.random(in: 0..<corpus.sentences.count, using: &generator)]
        return make(
            .note,
            Note.creation(
                customer: someCustomer(),
                kind: owed ? .inquiry : .note,
                channel: Note.Channel.allCases[notesMade % Note.Channel.allCases.count],
                text: text,
                author: agent,
                at: now.addingTimeInterval(-Double.random(in: 0...2_592_000, using: &generator)),
                replyDueAt: owed ? now.addingTimeInterval(86_400) : nil
            )
        )
    }

    /// A promise to an earlier customer: a tenth are overdue, the rest fall due over the next three months.
    mutating func promise() -> RecordState {
        defer { promisesMade += 1 }
        let offset =
            promisesMade % 10 == 0
            ? -Double.random(in: 3_600...864_000, using: &generator) : Double.random(in: 600...7_776_000, using: &generator)
        let text = corpus.sentences[Int.random(in: 0..<corpus.sentences.count, using: &generator)]
        return make(.promise, Promise.creation(customer: someCustomer(), text: text, dueAt: now + offset, at: now, by: agent))
    }

    /// An edit of an existing record: `values` written over `state` with the next dot.
    mutating func edit(_ state: RecordState, _ values: [String: FieldValue]) -> RecordState {
        counter += 1
        fieldChanges += values.count
        var edited = state
        edited.write(values, dot: Dot(replica: replica, counter: counter), at: now.epochMilliseconds, by: agent)
        return edited
    }

    private mutating func someCustomer() -> RecordID {
        if customers.isEmpty { _ = customer() }
        return customers[Int.random(in: 0..<customers.count, using: &generator)]
    }

    private mutating func make(_ kind: RecordKind, _ values: [String: FieldValue]) -> RecordState {
        counter += 1
        fieldChanges += values.count
        var state = RecordState(id: RecordID.random(using: &generator), kind: kind)
        state.write(values, dot: Dot(replica: replica, counter: counter), at: now.epochMilliseconds, by: agent)
        return state
    }
}
