/// What profiling found behind each missed target: the functions and files where the time or memory goes, and what
/// would change it. The report prints these under a scenario whose target the run missed; a run that meets every
/// target of a scenario leaves them out.
///
/// The profiles were taken on the machine of BENCHMARKS.md with `perf record -e cpu-clock --call-graph dwarf` on the
/// release binaries (valgrind 3.19 crashes on them at start, "Valgrind received a signal 11", even with --tool=none),
/// so the shares are of CPU samples, not instruction counts.
enum Findings {
    static let profiled = "Profile (perf, share of CPU samples, release build of 2026-11-23):"

    static func forScenario(_ id: String) -> [String] {
        switch id {
        case "merge": merge
        case "first-sync": firstSync
        case "everyday-sync": everydaySync
        case "many-shops": manyShops
        case "tenants-on-disk": tenantsOnDisk
        case "command-line": commandLine
        default: []
        }
    }

    static let merge = [
        "\(profiled) under `SyncService.push`, the CPU is 78% of the wall time (the durable commits of the pages are the rest) and "
            + "goes to `RecordRepository.save` (87%) and `Projection.apply` (37%, inside it), per record:",
        "  - `sqlite3_prepare_v3` 24%: every statement of `RecordRepository.save`/`state` and `Projection.apply` "
            + "(Sources/KeepStore/RecordRepository.swift, Projection.swift) runs through `db.execute(sql:)` or `fetchOne(db, sql:)`, "
            + "which compiles it again for every record: about eight statements per record. `db.cachedStatement(sql:)` compiles each "
            + "once per connection.",
        "  - `sqlite3_step` 23%: running them, the FTS5 insert included; `Projection.apply` first DELETEs from the kind's table and "
            + "from `searchIndex` even for a record the store has never seen.",
        "  - `JSONEncoder.encode(RecordState)` 22% (sortedKeys, through Codable's generic containers) in `RecordRepository.save`: "
            + "a hand-written encoder, or storing the pushed bytes when the merge keeps the pushed state as it is, would spare it.",
        "  - `SearchText.fold` 15% (Sources/KeepCore/Text/SearchText.swift): `lowercased()`, Foundation's "
            + "`decomposedStringWithCanonicalMapping` through CFString, then recomposition, for every customer name and search body.",
        "  - `RecordRepository.state` 8%: each pushed record's stored state is read and JSON-decoded twice, once for the authorship "
            + "check in `ReplicaStore.merge(_:checking:)` (Sources/KeepStore/SyncSupport.swift) and again in `ReplicaStore.merge(_:_:)` "
            + "(RemoteMerge.swift); once would do.",
        "  - `RecordState.isWellFormed` 2%, the commits and WAL checkpoints 4%.",
        "Before the merge the server decodes the push (not in the figure): `JSONDecoder` reaches about 90,000 field changes/s, a "
            + "third of it in `Decoder.rejectUnknownMembers` (Sources/KeepCore/Replication/StrictMembers.swift).",
    ]

    static let firstSync = [
        "\(profiled) the sync is sequential: the laptop asks for a page, waits for the server, merges it, asks for the next. "
            + "Since pull pages are spliced from the stored JSON (commit 954d578) the server's side is about 2 s of it; the rest "
            + "is the laptop, which spends about 80% of the wall time on its CPU:",
        "  - Decoding the pages into `RecordState`s (`HTTPSTransport.send` → `JSONDecoder`) 23% of the laptop's CPU, a third of "
            + "that in `Decoder.rejectUnknownMembers` (Sources/KeepCore/Replication/StrictMembers.swift).",
        "  - `ReplicaStore.merge(_:thenSetCursor:)`, with the costs of the server's merge above: SQLite at least 23% (statements "
            + "compiled again for every record in `RecordRepository.save` and `Projection.apply`), `JSONEncoder` re-encoding each "
            + "state it has just decoded 16%, `SearchText.fold` 9%, the projection's model building, allocation and "
            + "reference counting most of the rest.",
        "  - For a record the laptop does not hold, the merged state is the pulled one: storing the page's bytes as they came "
            + "would spare the encode; cached statements and a cheaper fold would spare most of the rest; fetching the next page "
            + "while merging the last would hide the server's share. The download itself (the TLS limit) and plain inserts of the "
            + "rows are a few percent of the time.",
    ]

    static let everydaySync = [
        "\(profiled) `keep sync` with nothing to do spends about 32 ms of CPU: `swift_conformsToProtocol` 30% (the Swift "
            + "runtime scanning conformance records the first time each type is cast or described: ArgumentParser's "
            + "`parseAsRoot` building the command tree is 19%), the dynamic linker 13%, `Session.open`/`ReplicaStore.open` 16% "
            + "(`DatabasePool` setup and the schema check), NIO and TLS 14%; the rest of the wall time is the TLS handshake and "
            + "the hello and pull round trips.",
        "  - Ten changes each way add the server's durable merge of the push, the outbox acknowledgement and the merge of the "
            + "pulled records, at the per-record costs of the merge scenario (about 0.3 ms a record at each end), and a round trip.",
        "  - Sparing the conformance scans (fewer `as?`/`String(describing:)` on the hot path, a smaller command tree for "
            + "`sync`) and the schema check of a store already at the current version are where the milliseconds are.",
    ]

    static let manyShops = [
        "\(profiled) every SQLite call of the server runs on NIO's blocking thread pool (`BlockingWork.run`, "
            + "Sources/KeepServer/BlockingWork.swift: `NIOThreadPool.singleton`, two threads on this machine). Sampled every 10 ms "
            + "during the load, those two threads were running 96% of the time (not waiting on the disk): the syncs are CPU-bound "
            + "at about 5 ms of pool time each, while /healthz on the same client and TLS path reaches more than ten times the request rate.",
        "  - `TenantPool.open` 30% of the server's CPU (Sources/KeepServer/Tenants/TenantPool.swift): with 1,000 shops syncing "
            + "in turn and at most 64 stores open, nearly every sync reopens its shop's store: `ReplicaStore.open` sets up a "
            + "`DatabasePool`, reads the schema (`sqlite3ReadSchema` 12%) and the migration status, and closing the evicted one "
            + "is another 7%.",
        "  - `sqlite3_prepare_v3` 26%: statements compiled on every call (the merge's, `setting`, `lastChangeSeq`, the catalog's).",
        "  - `Catalog.authenticate` 8% (a catalog read for every request), the push's merge 16%, `bytesOnDisk` 2%, the request "
            + "log 2%.",
        "  - More open stores (or a cheaper open that skips the migration check), cached statements and a hello that needs no "
            + "store would lower the pool time per sync; so would more than two threads for it when it waits on fsync.",
    ]

    static let tenantsOnDisk = [
        "Memory and open files follow the pool of open stores (64), not the number of shops on disk: each open store holds "
            + "about 5 files (the database and its WAL for the writer and two readers, the shared memory)."
    ]

    static let commandLine = [
        "\(profiled) on this book `keep today` prints some 57,000 lines (25,000 overdue promises, 12,500 replies owed and "
            + "what is due) and `keep promise list --overdue` 25,000; the queries are 8% of their time:",
        "  - `TextTable` rendering is 77% of `keep today` and 74% of `promise list` (Sources/KeepCLI/Output/TextTable.swift, "
            + "TextWidth.swift): `TextTable.oneLine` 40%, `TextWidth.of` 24%, `TextWidth.escapeSequenceEnd` 11%, walking every "
            + "cell Character by Character (grapheme breaking) for its width, once in `columnWidths` and again in `paddedLines`.",
        "  - A width from the UTF-8 bytes when a cell has no escape sequence or combining marks, widths computed once, and a "
            + "`today` that shows the first rows of each list with a count and the command for the rest would each help; "
            + "the last would make `today` independent of the book's size.",
        "  - `keep search` is bound by SQLite (`sqlite3_step` 55%): FTS5 ranks every match of a common word (`ORDER BY rank "
            + "LIMIT 50` in `ReplicaStore.search`, Sources/KeepStore/ShopQueries.swift) before keeping 50; the rest is startup.",
    ]
}
