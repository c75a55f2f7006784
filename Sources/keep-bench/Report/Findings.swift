/// What profiling found behind each missed target: the functions and files where the time or memory goes, and what
/// would change it. The report prints these under a scenario whose target the run missed; a run that meets every
/// target of a scenario leaves them out.
///
/// The profiles were taken on the machine of BENCHMARKS.md with `perf record -e cpu-clock --call-graph dwarf` on the
/// release binaries (valgrind 3.19 crashes on them at start, "Valgrind received a signal 11", even with --tool=none),
/// so the shares are of CPU samples, not instruction counts.
enum Findings {
    static let profiled = "Profile (perf, share of CPU samples, release build of 2026-11-24):"

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
        "Done since the first run (32,400 changes/s, 28.9× the limit): statements cached per connection, no projection DELETEs "
            + "for a record the store never held, the stored state read once for the authorship check and the merge, states stored "
            + "as canonical JSON written straight from the state (`RecordState.canonicalJSON`, Sources/KeepCore/Replication/"
            + "StateJSON.swift) instead of `JSONEncoder`, and `SearchText.fold` from a table of folded scalars instead of "
            + "Foundation's normalization (Sources/KeepCore/Text/SearchText.swift).",
        "\(profiled) of `ReplicaStore.merge`'s CPU, `RecordRepository.save` is 79%: `Projection.apply` 38% (the shop-table row "
            + "and the FTS5 row, `SearchText.fold` 14% inside it), `canonicalJSON` 24%, the record row and its change number "
            + "the rest; the authorship and well-formedness checks 9%, reading stored states 5%, finding conflicts 5%.",
        "What bounds it now: each record is four SQLite writes (the record, its change number, its shop-table row, its "
            + "search-index row, the last tokenizing Greek and Persian text) where the limit does one, so the SQL alone puts "
            + "the merge near 3× the limit before any Swift runs. Closing the rest of the gap would take writing projection "
            + "and search rows in batches per page, or not indexing a record's text until it is searched.",
    ]

    static let firstSync = [
        "Done since the first run (31.6 s): the merge work above, pull pages read by a direct JSON reader (`StateJSONReader`, "
            + "Sources/KeepCore/Replication/StateJSONReader.swift; what it declines goes to `JSONDecoder`), the next page asked "
            + "for while the last is merged (`SyncEngine.prefetchesPullPages`), and the server's gzip at its fastest level.",
        "\(profiled) the laptop's `keep sync` is on its CPU most of the time, and that time goes to SQLite 35% and the "
            + "kernel 29% (writing the store: about 240 MB of states, shop tables and search index, each page written to the "
            + "WAL, synced, and checkpointed into the database), Swift's allocation and reference counting 15%, "
            + "`canonicalJSON` 5%, reading the pages 5%, inflating them 2%.",
        "What bounds it now: the store's own writes. The raw-insert limit writes each record's state once into one table; "
            + "the sync also writes its shop-table row and its search-index row and keeps every page durable before asking "
            + "for the next. Storing the pulled bytes of a new record as they came would spare the re-encode (5%); larger "
            + "pages would spare commits; the rest is the size of what is stored.",
    ]

    static let everydaySync = [
        "\(profiled) `keep sync` with nothing to do spends most of its CPU starting: the Swift runtime's conformance scans "
            + "(ArgumentParser building the command tree), the dynamic linker, opening the store, NIO and TLS; the rest of the "
            + "wall time is the TLS handshake and the hello and pull round trips. Ten changes each way add the server's durable "
            + "merge of the push, the outbox acknowledgement and the merge of the pulled records."
    ]

    static let manyShops = [
        "Done since the first run (425 syncs/s, p99 108 ms): the server keeps up to 1,024 shop stores open "
            + "(`TenantPool.defaultCapacity`, `--open-stores`), each on one SQLite connection, so that 1,000 "
            + "shops syncing in turn no longer reopen their store on nearly every sync (with 64 open, least-recently-used "
            + "eviction misses on every turn); blocking work runs on a pool of 16 threads of its own (Sources/KeepTenancy/"
            + "BlockingWork.swift) instead of NIO's two; the merge and pull costs above.",
        "\(profiled) the load generator and the server share the two cores: `keep-bench` itself is about a quarter of the "
            + "samples, the kernel (sockets, TLS records, futexes, fsync) 31%, Swift's reference counting and allocation most of "
            + "the rest; the server's SQLite work is under 15% and its sync logic a few percent.",
        "What bounds it now: a sync is three HTTPS requests and two durable commits (the shop's store and the catalog's pushed "
            + "counter, Sources/KeepTenancy/Catalog/Catalog.swift `bind`), against a client on the same two cores. A hello that "
            + "needs no store, the pushed counter kept with the shop's own commit, and the load generator on another machine "
            + "are the next steps.",
    ]

    static let tenantsOnDisk = [
        "Memory and open files follow the pool of open stores (1,024 by default), not the number of shops on disk: each open "
            + "store holds three files (its database, write-ahead log and the log's shared memory) on one connection."
    ]

    static let commandLine = [
        "Done since the first run: `keep today` shows the first 15 rows of each list with how many there are and the command "
            + "for the rest (6.7 s → under 100 ms); tables measure each cell once, with a fast path for Greek, Lithuanian and "
            + "Persian letters (Sources/KeepCLI/Output/TextWidth.swift, TextTable.swift).",
        "\(profiled) `keep promise list --overdue` prints all 25,000 overdue promises: rendering the table is about 60% of its "
            + "CPU (fitting and padding each cell 35%, the status column 8%, `Format.dateTime` through `DateFormatter` 7%), "
            + "reading the promises and their customers through GRDB's `Decodable` rows 25%, starting (argument parsing, "
            + "dynamic linking) 15%.",
        "What bounds it now: the length of the list. Decoding rows by column index instead of `Decodable`, formatting dates "
            + "without `DateFormatter`, or a `--limit` would each shorten it; 25,000 lines in 100 ms is 4 µs a line.",
    ]
}
