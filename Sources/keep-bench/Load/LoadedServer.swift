import Foundation
import KeepTenancy

/// A real keep-server over many new shops of one device each, a client for the load, and a sampler of the
/// server's memory and open files: what the many-shops scenarios start before their load and read after it.
struct LoadedServer {
    /// The shops' devices, and how long making the shops in-process took.
    let made: (seconds: Double, value: [BenchDevice])
    let server: ServerProcess
    let client: SyncClient
    let sampler: ResourceSampler
    /// The server's resident memory and open files once started, before any request.
    let startRSS: Int
    let startFiles: Int

    /// Makes `shops` shops under `folder`, starts the server over them, and starts sampling it.
    init(shops: Int, in folder: String, workers: Int = 4, connections: Int) throws {
        let dataRoot = DataRoot(folder + "/data")
        made = try Clock.time { try BenchShops.create(count: shops, in: dataRoot, workers: workers) }
        server = try ServerProcess(data: dataRoot.path)
        startRSS = server.residentBytes
        startFiles = server.openFiles
        client = try SyncClient(base: server.url, certificatePEM: try server.certificatePEM(), connections: connections)
        sampler = ResourceSampler(pid: server.pid)
        sampler.start()
    }

    /// Stops sampling once the load is over, and reads how many shop stores the server holds open then
    /// (its `keep_open_tenant_stores`).
    func endOfLoad() async -> Double? {
        sampler.stop()
        return await LoadGenerator.gauge("keep_open_tenant_stores", client: client)
    }
}
