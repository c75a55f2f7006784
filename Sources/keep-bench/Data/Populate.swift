import ArgumentParser
import Foundation
import GRDB
import KeepCore
import KeepStore

/// Fills a new store with a shop's worth of customers, notes, inquiries, promises and follow-ups.
struct Populate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a store filled with generated records, for timing commands against.")

    @Option(help: "The store file to create.")
    var store: String

    @Option(help: "How many customers.")
    var customers = 1_000

    @Option(help: "How many promises, spread over the customers; a tenth are overdue.")
    var promises = 50_000

    @Option(help: "How many notes (text from the Greek and Persian corpus); one in twenty is an inquiry still owed a reply.")
    var notes = 0

    @Option(help: "How many follow-ups.")
    var followUps = 0

    @Flag(help: "Leave the outbox empty, as on a laptop that has synced everything.")
    var synced = false

    @Flag(
        help: """
            Write the records as another laptop's, merged in as a sync receives them (faster; implies --synced). \
            Customers, notes and promises only.
            """
    )
    var received = false

    @Option(help: ArgumentHelp("The corpus folder to take note texts from (default: ../shared/corpus).", valueName: "folder"))
    var corpus: String?

    func validate() throws {
        guard customers > 0 else { throw ValidationError("--customers must be at least 1") }
        guard [promises, notes, followUps].allSatisfy({ $0 >= 0 && $0 <= 10_000_000 }) else {
            throw ValidationError("counts must be between 0 and 10,000,000")
        }
    }

    func run() throws {
        let started = Clock.now()
        if received {
            try Self.receive(store: store, customers: customers, notes: notes, promises: promises, corpus: Corpus.load(from: corpus))
            print("populated \(store) in \(String(format: "%.1f", Clock.now() - started)) s")
            return
        }
        try Self.populate(
            store: store,
            customers: customers,
            promises: promises,
            notes: notes,
            followUps: followUps,
            synced: synced,
            corpus: Corpus.load(from: corpus)
        )
        print("populated \(store) in \(String(format: "%.1f", Clock.now() - started)) s")
    }

    /// Creates the store at `store` and fills it with another laptop's customers, notes and promises, merged in 5,000
    /// to a transaction as a pull merges them: a synced laptop's book, its outbox empty.
    static func receive(store: String, customers: Int, notes: Int, promises: Int, corpus: Corpus, agent: String = "Ελένη") throws {
        let replica = try ReplicaStore.create(at: store, agent: agent)
        defer { try? replica.close() }
        var factory = RecordFactory(replica: ReplicaID.random(), agent: agent, corpus: corpus, seed: 7)
        var batch: [RecordState] = []
        func flush() throws {
            guard !batch.isEmpty else { return }
            _ = try replica.merge(batch) { _, _ in nil }
            batch.removeAll(keepingCapacity: true)
        }
        for (count, make) in [(customers, 0), (notes, 1), (promises, 2)] {
            for _ in 0..<count {
                switch make {
                case 0: batch.append(factory.customer())
                case 1: batch.append(factory.note())
                default: batch.append(factory.promise())
                }
                if batch.count == 5_000 { try flush() }
            }
            try flush()
        }
        try replica.close()
    }

    /// Creates the store at `store` and fills it through the store's own local writes, 5,000 to a transaction.
    static func populate(
        store: String,
        customers: Int,
        promises: Int,
        notes: Int,
        followUps: Int = 0,
        synced: Bool,
        corpus: Corpus,
        agent: String = "Ελένη"
    ) throws {
        let replica = try ReplicaStore.create(at: store, agent: agent)
        let now = Date()
        let texts = corpus.sentences
        var generator = SplitMix64(seed: 7)
        var customerIDs: [RecordID] = []
        func inBatches(of count: Int, _ body: (Range<Int>, inout LocalWriter) throws -> Void) throws {
            for start in stride(from: 0, to: count, by: 5_000) {
                try replica.write(agent: agent, now: now) { writer in try body(start..<min(start + 5_000, count), &writer) }
            }
        }
        try inBatches(of: customers) { range, writer in
            for index in range {
                let phone = "+30 210 \(1_000_000 + index)"
                customerIDs.append(
                    try writer.create(.customer, Customer.creation(name: Corpus.customerName(index), phone: phone, email: nil, at: now, by: agent))
                )
            }
        }
        try inBatches(of: promises) { range, writer in
            for index in range {
                let offset =
                    index % 10 == 0
                    ? -Double.random(in: 3600...864_000, using: &generator) : Double.random(in: 600...7_776_000, using: &generator)
                try writer.create(
                    .promise,
                    Promise.creation(
                        customer: customerIDs[index % customerIDs.count],
                        text: texts[index % texts.count],
                        dueAt: now + offset,
                        at: now,
                        by: agent
                    )
                )
            }
        }
        try inBatches(of: notes) { range, writer in
            for index in range {
                let owed = index % 20 == 0
                try writer.create(
                    .note,
                    Note.creation(
                        customer: customerIDs[index % customerIDs.count],
                        kind: owed ? .inquiry : .note,
                        channel: .phone,
                        text: texts[(index * 7) % texts.count],
                        author: agent,
                        at: now - Double(index % 1000) * 3600,
                        replyDueAt: owed ? now + 86_400 - Double(index % 3) * 86_400 : nil
                    )
                )
            }
        }
        try inBatches(of: followUps) { range, writer in
            for index in range {
                try writer.create(
                    .followUp,
                    FollowUp.creation(
                        customer: customerIDs[index % customerIDs.count],
                        text: texts[index % texts.count],
                        dueAt: now + Double(index % 120) * 86_400,
                        at: now,
                        by: agent
                    )
                )
            }
        }
        try replica.close()
        if synced {
            // As after a sync: nothing left to send. The outbox is the store's own table; emptying it is what
            // acknowledging every push does.
            let queue = try DatabaseQueue(path: store)
            try queue.write { db in try db.execute(sql: "DELETE FROM outbox") }
            try queue.close()
        }
    }
}
