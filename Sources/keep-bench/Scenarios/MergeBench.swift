import ArgumentParser
import Foundation
import KeepCore
import KeepProtocol
import KeepStore
import KeepTenancy

/// Scenario 1: one device's push of many field changes merged into a tenant store as the server does it.
struct MergeBench: Scenario {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge one device's push of 100,000 field changes into a tenant store, beside plain SQLite inserts of the same rows."
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "Field changes in the push (each a field value written by the device).")
    var changes = 100_000

    func validate() throws {
        guard (1...10_000_000).contains(changes) else { throw ValidationError("--changes must be between 1 and 10,000,000") }
    }

    func measure() throws -> ScenarioResult {
        let changes = options.smoke ? 1_000 : changes
        let runs = options.runs(full: 5, smoke: 1)
        let pageSize = SyncService.limits.maxPushRecords
        var factory = RecordFactory(replica: ReplicaID.random(), corpus: Corpus.load())
        let records = factory.records(holdingFieldChanges: changes)
        let fieldChanges = Double(records.reduce(0) { $0 + $1.fields.count })
        let pages = stride(from: 0, to: records.count, by: pageSize).map {
            PushRequest(replica: factory.replica, records: Array(records[$0..<min($0 + pageSize, records.count)]))
        }
        let bodies = try pages.map { try JSONEncoder().encode($0) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let rows = try records.map { (id: $0.id.rawValue, kind: $0.kind.rawValue, blob: try encoder.encode($0)) }

        var result = ScenarioResult(of: self, title: "1. Merge on the server", arguments: ["--changes", String(changes)])
        result.parameters = [
            "push":
                "\(Int(fieldChanges)) field changes in \(records.count) records (customers, notes, promises), \(pages.count) pages of ≤ \(pageSize)",
            "store": "a tenant store made by Administration.createTenant, opened as TenantPool opens it (WAL, synchronous=FULL)",
            "runs": "\(runs), each into a new store",
        ]
        var merge = Samples()
        var limit = Samples()
        var pagedLimit = Samples()
        var decode = Samples()
        for _ in 0..<runs {
            let folder = Scratch.folder("merge")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let dataRoot = DataRoot(folder + "/data")
            let slug = TenantSlug("bench-shop")!
            let administration = Administration(dataRoot: dataRoot)
            _ = try administration.createTenant(slug)
            let device = try administration.addDevice(named: "bench", to: slug).device.id
            let catalog = try dataRoot.openCatalog()
            let store = try ReplicaStore.open(at: dataRoot.storePath(of: slug), migrating: false)
            let service = SyncService(store: store, tenant: slug.rawValue)
            // The whole push as the server runs it: its checks, the catalog's binding, the merge.
            let merged = try Clock.time {
                var changed = 0
                for page in pages { changed += try service.push(page, by: device, in: catalog).changed }
                return changed
            }
            try store.close()
            catalog.close()
            guard merged.value == records.count else { throw BenchFailure("the merge changed \(merged.value) of \(records.count) records") }
            merge.append(fieldChanges / merged.seconds)
            progress(String(format: "merged in %.0f ms", merged.seconds * 1000))
            let decoded = try Clock.time {
                for body in bodies { _ = try JSONDecoder().decode(PushRequest.self, from: body) }
            }
            decode.append(fieldChanges / decoded.seconds)
            limit.append(fieldChanges / (try PlainInserts.run(path: folder + "/plain.sqlite", rows: rows)))
            pagedLimit.append(fieldChanges / (try PlainInserts.run(path: folder + "/paged.sqlite", rows: rows, perTransaction: pageSize)))
        }
        result.add(
            "merge through SyncService.push, pages of \(pageSize), durable",
            "field changes/s",
            merge,
            target: .atLeast(200_000, "≥ 200,000 /s")
        )
        result.add("plain prepared INSERTs of the same record blobs, one transaction", "field changes/s", limit, role: .limit)
        let ratio = limit.median / merge.median
        result.add("plain-insert limit ÷ merge", "×", value: ratio, role: .measured, target: .atMost(3, "≤ 3×"))
        result.add("merge, in records", "records/s", Samples(merge.values.map { $0 * Double(records.count) / fieldChanges }), role: .detail)
        result.add(
            "plain INSERTs committed every \(pageSize) rows (a durable commit per page, as the merge does)",
            "field changes/s",
            pagedLimit,
            role: .detail
        )
        result.add(
            "decoding the push bodies with JSONDecoder (the server does this before the merge; not in the figure above)",
            "field changes/s",
            decode,
            role: .detail
        )
        let plain = "plain INSERTs of the same blobs: \(Format.number(limit.median, "/s"))"
        result.beside("merge through SyncService.push, pages of \(pageSize), durable", plain)
        result.beside("plain-insert limit ÷ merge", plain)
        result.notes = [
            "A field change is one field value a device wrote (a register entry with its dot); a customer carries 5, a note 8, a promise 6.",
            "The merge figure times `SyncService.push` on decoded pages: authorship checks against the stored state, the join, "
                + "storing each record's JSON state, projecting it into the shop tables and the search index, one durable transaction per page.",
            "The limit inserts the same JSON record blobs (encoded as the store encodes them) with one prepared statement through SQLite's "
                + "C API into a table with the same id index, in a file with the same settings, committed once.",
        ]
        let perPageCommit = 1 / pagedLimit.median - 1 / limit.median
        if result.missedTargets.count > 0 {
            result.bounds.append(
                String(
                    format: "per field change the merge takes %.2f µs, the plain insert %.2f µs; committing durably per page adds %.2f µs; "
                        + "the rest is the merge's own work per record (see Findings below)",
                    1e6 / merge.median,
                    1e6 / limit.median,
                    1e6 * perPageCommit
                )
            )
        }
        return result
    }
}
