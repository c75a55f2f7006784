import ArgumentParser
import Foundation
import KeepCore
import KeepStore

/// `keep-bench`: builds big stores and measures Keepword against them.
@main
struct KeepBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keep-bench",
        abstract: "Benchmarks for Keepword.",
        subcommands: [Populate.self]
    )
}

/// Fills a new store with a shop's worth of customers, notes, inquiries, promises and follow-ups.
struct Populate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a store filled with generated records, for timing commands against.")

    @Option(help: "The store file to create.")
    var store: String

    @Option(help: "How many customers.")
    var customers = 1_000

    @Option(help: "How many promises, spread over the customers; a tenth are overdue.")
    var promises = 50_000

    @Option(help: "How many notes; one in twenty is an inquiry still owed a reply.")
    var notes = 0

    @Option(help: "How many follow-ups.")
    var followUps = 0

    func validate() throws {
        guard customers > 0 else { throw ValidationError("--customers must be at least 1") }
        guard [promises, notes, followUps].allSatisfy({ $0 >= 0 && $0 <= 10_000_000 }) else {
            throw ValidationError("counts must be between 0 and 10,000,000")
        }
    }

    func run() throws {
        let started = Date()
        let replica = try ReplicaStore.create(at: store, agent: "bench")
        let now = Date()
        let texts = ["Θα τηλεφωνήσω με την απάντηση της αποθήκης", "Grąžinti pinigus už sugedusį šaldytuvą", "پیگیری رضایت از خرید یخچال"]
        var generator = SystemRandomNumberGenerator()
        var customerIDs: [RecordID] = []
        try inBatches(of: customers) { range, writer in
            for index in range {
                customerIDs.append(
                    try writer.create(
                        .customer,
                        Customer.creation(name: "Πελάτης \(index)", phone: "+30 210 \(1_000_000 + index)", email: nil, at: now, by: "bench")
                    )
                )
            }
        }
        try inBatches(of: promises) { range, writer in
            for index in range {
                let offset =
                    index % 10 == 0 ? -Double.random(in: 3600...864_000, using: &generator) : Double.random(in: 600...7_776_000, using: &generator)
                try writer.create(
                    .promise,
                    Promise.creation(
                        customer: customerIDs[index % customerIDs.count],
                        text: texts[index % texts.count],
                        dueAt: now + offset,
                        at: now,
                        by: "bench"
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
                        text: texts[index % texts.count] + " \(index)",
                        author: "bench",
                        at: now,
                        replyDueAt: owed ? now + 86_400 : nil
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
                        by: "bench"
                    )
                )
            }
        }
        try replica.close()
        print("populated \(store) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")

        func inBatches(of count: Int, _ body: (Range<Int>, inout LocalWriter) throws -> Void) throws {
            for start in stride(from: 0, to: count, by: 5_000) {
                try replica.write(agent: "bench", now: now) { writer in try body(start..<min(start + 5_000, count), &writer) }
            }
        }
    }
}
