import Foundation
import KeepCore
import KeepProtocol
import KeepStore
import KeepTenancy
import KeepTestSupport
import Testing

/// The push's directory of devices (PROTOCOL.md §3 "Binding"): one set of rules, checked against the server's
/// SQLite catalog and the in-memory directory alike, so that every directory behind the protocol agrees.
@Suite("Device directory")
struct DeviceDirectoryTests {
    let ana = ReplicaID("a1a1a1a1a1a1a1a1")!
    let bea = ReplicaID("b2b2b2b2b2b2b2b2")!

    /// A shop with three devices, none bound yet.
    struct Shop<Directory: DeviceDirectory> {
        let directory: Directory
        let devices: [Directory.DeviceKey]
        let revoke: (Directory.DeviceKey) throws -> Void
        let addDevice: () throws -> Directory.DeviceKey
    }

    private func catalogShop(in folder: TemporaryFolder) throws -> Shop<Catalog> {
        let admin = Administration(dataRoot: folder.dataRoot)
        let slug = TenantSlug("corner-shop")!
        _ = try admin.createTenant(slug)
        let names = ["front desk", "back office", "van"]
        let devices = try names.map { try admin.addDevice(named: $0, to: slug).device.id }
        var added = 0
        return Shop(
            directory: try folder.dataRoot.openCatalog(),
            devices: devices,
            revoke: { device in
                let name = names[devices.firstIndex(of: device)!]
                _ = try admin.revokeDevice(named: name, of: slug)
            },
            addDevice: {
                added += 1
                return try admin.addDevice(named: "new laptop \(added)", to: slug).device.id
            }
        )
    }

    private func memoryShop() -> Shop<InMemoryDeviceDirectory> {
        let directory = InMemoryDeviceDirectory(devices: ["front desk", "back office", "van"])
        var added = 0
        return Shop(
            directory: directory,
            devices: ["front desk", "back office", "van"],
            revoke: { directory.revoke($0) },
            addDevice: {
                added += 1
                directory.add("new laptop \(added)")
                return "new laptop \(added)"
            }
        )
    }

    private func expectRefused(_ code: SyncError.Code, _ body: () throws(SyncError) -> Void) {
        do {
            try body()
            Issue.record("expected \(code), but it was allowed")
        } catch {
            #expect(error.code == code, "\(error)")
        }
    }

    /// The binding rules, whatever holds the directory.
    private func checkBindingRules<Directory>(_ shop: Shop<Directory>) throws {
        let directory = shop.directory
        let (first, second, third) = (shop.devices[0], shop.devices[1], shop.devices[2])
        try directory.checkBinding(of: first, to: ana)
        try directory.checkBinding(of: second, to: ana)
        #expect(try directory.pushedCounters(ofShopOf: first) == VersionVector(), "a check writes nothing")

        try directory.bind(first, to: ana, pushing: 3)
        try directory.bind(first, to: ana, pushing: 2)
        #expect(try directory.pushedCounters(ofShopOf: second) == VersionVector([ana: 3]), "a counter is never lowered")
        expectRefused(.replicaMismatch) { () throws(SyncError) in try directory.checkBinding(of: first, to: bea) }
        expectRefused(.replicaMismatch) { () throws(SyncError) in try directory.bind(first, to: bea, pushing: 1) }
        expectRefused(.replicaMismatch) { () throws(SyncError) in try directory.checkBinding(of: second, to: ana) }
        expectRefused(.replicaMismatch) { () throws(SyncError) in try directory.bind(second, to: ana, pushing: 9) }
        #expect(try directory.pushedCounters(ofShopOf: first) == VersionVector([ana: 3]), "a refused bind raises nothing")

        // A revoked device stops, and its replica id is never handed to another device (MERGE.md §2.1).
        try directory.bind(third, to: bea, pushing: 5)
        try shop.revoke(third)
        expectRefused(.unauthorized) { () throws(SyncError) in try directory.bind(third, to: bea, pushing: 6) }
        let newcomer = try shop.addDevice()
        expectRefused(.replicaMismatch) { () throws(SyncError) in try directory.checkBinding(of: newcomer, to: bea) }
        expectRefused(.replicaMismatch) { () throws(SyncError) in try directory.bind(newcomer, to: bea, pushing: 1) }
        #expect(try directory.pushedCounters(ofShopOf: first) == VersionVector([ana: 3, bea: 5]), "a revoked device's writes still count")
    }

    @Test("the catalog binds, refuses and counts as the protocol says")
    func catalogRules() throws {
        let folder = TemporaryFolder()
        let shop = try catalogShop(in: folder)
        defer { shop.directory.close() }
        try checkBindingRules(shop)
    }

    @Test("the in-memory directory binds, refuses and counts as the catalog does")
    func memoryRules() throws {
        try checkBindingRules(memoryShop())
    }

    @Test("a push the protocol refuses neither binds its device nor raises its pushed counter in the catalog")
    func aRefusedPushLeavesTheCatalogAlone() throws {
        let folder = TemporaryFolder()
        let shop = try catalogShop(in: folder)
        defer { shop.directory.close() }
        let store = try ReplicaStore.open(at: folder.dataRoot.storePath(of: TenantSlug("corner-shop")!), migrating: false)
        defer { try? store.close() }
        let service = SyncService(store: store, tenant: "corner-shop")
        var state = RecordState(id: .random(), kind: .customer)
        state.write(["name": .text("Žydrūnė Šimkutė")], dot: Dot(replica: ana, counter: 900), at: 0, by: "ana")
        let device = shop.devices[0]
        for refused in [[state, state], [state, Self.forged(by: bea)]] {
            #expect(throws: SyncError.self) { try service.push(PushRequest(replica: ana, records: refused), by: device, in: shop.directory) }
        }
        #expect(try shop.directory.devices(of: TenantSlug("corner-shop")!).allSatisfy { $0.replica == nil }, "no device was bound")
        #expect(try shop.directory.pushedCounters(ofShopOf: device) == VersionVector())
        #expect(try store.lastChangeSeq() == 0)

        _ = try service.push(PushRequest(replica: ana, records: [state]), by: device, in: shop.directory)
        #expect(try shop.directory.pushedCounters(ofShopOf: device) == VersionVector([ana: 900]))
    }

    /// A record carrying a write of `replica` that nobody pushed.
    private static func forged(by replica: ReplicaID) -> RecordState {
        var state = RecordState(id: .random(), kind: .customer)
        state.write(["name": .text("Forger")], dot: Dot(replica: replica, counter: 1), at: 0, by: "forger")
        return state
    }
}
