import Foundation
import KeepCore
import KeepProtocol
import KeepStore
import KeepTenancy
import KeepTestSupport
import Synchronization
import Testing

@Suite("Tenant pool")
struct TenantPoolTests {
    /// A data root with `count` shops, shop-0 to shop-(count-1).
    private static func shops(_ count: Int) throws -> (TemporaryFolder, [TenantSlug], [TenantSlug: ReplicaID]) {
        let folder = TemporaryFolder()
        let admin = Administration(dataRoot: folder.dataRoot)
        let tenants = try (0..<count).map { index in try admin.createTenant(TenantSlug("shop-\(index)")!) }
        return (folder, tenants.map(\.slug), Dictionary(uniqueKeysWithValues: tenants.map { ($0.slug, $0.serverReplica) }))
    }

    /// The shops whose store file this process holds open, read from /proc/self/fd.
    private static func openStores(under root: DataRoot) -> Set<String> {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        var shops = Set<String>()
        for descriptor in descriptors {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + descriptor),
                target.hasPrefix(root.shopsFolder + "/"), target.hasSuffix("/store.sqlite")
            else { continue }
            shops.insert(String(target.dropFirst(root.shopsFolder.count + 1).dropLast("/store.sqlite".count)))
        }
        return shops
    }

    @Test("many shops under concurrent load never hold more stores open than the bound")
    func boundHolds() async throws {
        let (folder, slugs, replicas) = try Self.shops(6)
        let pool = TenantPool(dataRoot: folder.dataRoot, capacity: 2, logger: .quiet)
        let mostOpenFiles = Shared(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<36 {
                let slug = slugs[(round * 7) % slugs.count]
                group.addTask {
                    let replica = try await pool.withStore(slug, replica: replicas[slug]!) { store in
                        let open = Self.openStores(under: folder.dataRoot)
                        mostOpenFiles.withLock { $0 = max($0, open.count) }
                        Thread.sleep(forTimeInterval: 0.002)
                        return store.replicaID
                    }
                    #expect(replica == replicas[slug])
                }
            }
            try await group.waitForAll()
        }
        #expect(pool.peakOpenCount <= 2)
        #expect(mostOpenFiles.withLock { $0 } <= 2)
        #expect(pool.openCount <= 2)
        await pool.closeIdle()
        #expect(pool.openCount == 0)
        #expect(Self.openStores(under: folder.dataRoot).isEmpty)
    }

    @Test("the least recently used store is the one closed")
    func leastRecentlyUsed() async throws {
        let (folder, slugs, replicas) = try Self.shops(3)
        let pool = TenantPool(dataRoot: folder.dataRoot, capacity: 2, logger: .quiet)
        for slug in [slugs[0], slugs[1], slugs[0], slugs[2]] {
            _ = try await pool.withStore(slug, replica: replicas[slug]!) { $0.replicaID }
        }
        #expect(Self.openStores(under: folder.dataRoot) == ["shop-0", "shop-2"])
        await pool.closeIdle()
    }

    @Test("a store in use is never closed under its request: a request for another shop waits for it")
    func leasedStoresStayOpen() async throws {
        let (folder, slugs, replicas) = try Self.shops(2)
        let pool = TenantPool(dataRoot: folder.dataRoot, capacity: 1, logger: .quiet)
        let events = Shared<[String]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = try await pool.withStore(slugs[0], replica: replicas[slugs[0]]!) { store in
                    events.withLock { $0.append("0 start") }
                    Thread.sleep(forTimeInterval: 0.2)
                    // Still usable after the other request asked for the only slot.
                    let seq = try store.lastChangeSeq()
                    events.withLock { $0.append("0 end") }
                    return seq
                }
            }
            try await Task.sleep(for: .milliseconds(50))
            group.addTask {
                _ = try await pool.withStore(slugs[1], replica: replicas[slugs[1]]!) { store in
                    events.withLock { $0.append("1 start") }
                    return store.replicaID
                }
            }
            try await group.waitForAll()
        }
        #expect(events.withLock { $0 } == ["0 start", "0 end", "1 start"])
        #expect(pool.peakOpenCount == 1)
        await pool.closeIdle()
    }

    @Test("a shop whose store cannot be opened fails its request and frees its slot")
    func failedOpenFreesTheSlot() async throws {
        let (folder, slugs, replicas) = try Self.shops(1)
        let pool = TenantPool(dataRoot: folder.dataRoot, capacity: 1, logger: .quiet)
        await #expect(throws: StoreError.self) {
            try await pool.withStore(TenantSlug("no-such-shop")!, replica: .random()) { $0.replicaID }
        }
        #expect(pool.openCount == 0)
        _ = try await pool.withStore(slugs[0], replica: replicas[slugs[0]]!) { $0.replicaID }
        await pool.closeIdle()
    }

    @Test("over HTTP, a server bound to 2 open stores serves 5 shops")
    func serverWithSmallPool() async throws {
        try await TestServer.run(openTenantLimit: 2) { server in
            var tokens: [String] = []
            for index in 0..<5 {
                try server.createTenant("shop-\(index)")
                tokens.append(try server.addDevice("laptop", to: "shop-\(index)"))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, token) in tokens.enumerated() {
                    group.addTask {
                        var laptop = Laptop()
                        _ = try await server.push(laptop.push([laptop.newCustomer("Customer of \(index)")]), token: token).decode(PushResponse.self)
                        #expect(try await server.hello(token: token).tenant == "shop-\(index)")
                    }
                }
                try await group.waitForAll()
            }
            #expect(Self.openStores(under: server.dataRoot).count <= 2)
            for token in tokens { #expect(try await server.pullAll(token: token).count == 1) }
        }
    }
}
