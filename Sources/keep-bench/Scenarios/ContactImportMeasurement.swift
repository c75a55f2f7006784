import Foundation
import KeepCore

/// `keep customer import` of a CSV of contacts into a new book, as a process, beside raw SQLite inserts of the
/// customer records the import makes of the same rows.
struct ContactImportMeasurement {
    let contacts: Int
    let folder: String

    /// The figure's name, as the report and the smoke test know it.
    var name: String { "keep customer import of \(Format.grouped(Double(contacts), digits: 0)) contacts (CSV)" }
    var limitName: String { "raw SQLite inserts of the same \(Format.grouped(Double(contacts), digits: 0)) customer records, one transaction" }

    /// The import's and the inserts' milliseconds, each run on a new book.
    func measure(budget: RunBudget) throws -> (imports: Samples, inserts: Samples) {
        let csv = folder + "/contacts.csv"
        let rows = (0..<contacts).map(Self.contact)
        let text = "Name,Mobile Phone,E-mail\n" + rows.map { [$0.name, $0.phone, $0.email ?? ""].joined(separator: ",") }.joined(separator: "\n")
        try Data(text.utf8).write(to: URL(fileURLWithPath: csv))
        let now = Date()
        let replica = ReplicaID.random()
        let records = rows.enumerated().map { index, row in
            var state = RecordState(id: RecordID.random(), kind: .customer)
            state.write(
                Customer.creation(name: row.name, phone: row.phone, email: row.email, at: now, by: "bench"),
                dot: Dot(replica: replica, counter: UInt64(index + 1)),
                at: now.epochMilliseconds,
                by: "bench"
            )
            return (id: state.id.rawValue, kind: state.kind.rawValue, blob: state.canonicalJSON)
        }

        var imports = Samples()
        var inserts = Samples()
        var run = 0
        repeat {
            defer { run += 1 }
            let book = folder + "/import-\(run)"
            try FileManager.default.createDirectory(atPath: book, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: book) }
            let laptop = LaptopProcess(folder: book)
            try laptop.must(["init", "--agent", "bench"])
            let imported = try laptop.must(["customer", "import", csv])
            guard imported.stdout.contains("Added \(contacts),") else {
                throw BenchFailure("keep customer import added something else than \(contacts): \(imported.stdout)")
            }
            imports.append(imported.seconds * 1000)
            inserts.append(try PlainInserts.run(path: book + "/plain.sqlite", rows: records) * 1000)
        } while budget.another(after: run)
        return (imports, inserts)
    }

    /// The `index`-th contact: a Greek or Persian name, a mobile number, an e-mail for one in three.
    private static func contact(_ index: Int) -> (name: String, phone: String, email: String?) {
        (Corpus.customerName(index), "+30 69\(String(format: "%08d", index))", index % 3 == 0 ? "contact\(index)@example.gr" : nil)
    }
}
