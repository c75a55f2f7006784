import Foundation
import KeepCore
import KeepProtocol
import KeepServer
import KeepTenancy
import Testing

/// The push's rules over HTTPS against the real server: a refused push changes neither the shop's store nor the
/// catalog, a replica id is never handed on, and no push erases (PROTOCOL.md §3, §5.2).
@Suite("Push rules over HTTPS")
struct PushRulesEndpointTests {
    @Test("a refused push neither binds the device nor raises its pushed counter")
    func aRefusedPushLeavesTheCatalogAlone() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("front desk", to: "corner-shop")
            var laptop = Laptop()
            var forged = RecordState(id: .random(), kind: .customer)
            forged.write(["name": .text("Forger")], dot: Dot(replica: .random(), counter: 1), at: 0, by: "forger")
            var far = laptop.newCustomer("Νίκος Γεωργίου")
            far.write(["phone": .text("+30 210 1")], dot: Dot(replica: laptop.replica, counter: 1_000_000), at: 0, by: "tester")
            let refused = try await server.push(laptop.push([far, forged]), token: token)
            #expect(refused.status == 422, "\(refused.text)")
            #expect(try refused.error().error == "rejected_record")
            #expect(try await server.hello(token: token).deviceReplica == nil, "the device was bound by a refused push")
            let device = try server.admin.devices(of: TenantSlug("corner-shop")!)[0].id
            let catalog = try server.dataRoot.openCatalog()
            defer { catalog.close() }
            #expect(try catalog.pushedCounters(ofShopOf: device) == VersionVector(), "a refused push raised the pushed counter")

            #expect(try await server.push(laptop.push([far]), token: token).status == 200)
            #expect(try await server.hello(token: token).deviceReplica == laptop.replica)
            #expect(try catalog.pushedCounters(ofShopOf: device) == VersionVector([laptop.replica: 1_000_000]))
        }
    }

    @Test("a revoked device's replica id cannot be taken by a new device")
    func aRevokedDevicesReplicaIsNeverReused() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let old = try server.addDevice("old laptop", to: "corner-shop")
            var laptop = Laptop()
            #expect(try await server.push(laptop.push([laptop.newCustomer("Jonas Kazlauskas")]), token: old).status == 200)
            try server.admin.revokeDevice(named: "old laptop", of: TenantSlug("corner-shop")!)
            let new = try server.addDevice("new laptop", to: "corner-shop")
            let taken = try await server.push(laptop.push([laptop.newCustomer("Žydrūnė Šimkutė")]), token: new)
            #expect(taken.status == 403, "\(taken.text)")
            #expect(try taken.error().error == "replica_mismatch")
            #expect(try taken.error().message.contains("never reused"))
            #expect(try await server.hello(token: new).deviceReplica == nil)
        }
    }

    @Test("a push that leaves a value out without writing over it is refused, naming the record and the field")
    func anErasureIsRefused() async throws {
        try await TestServer.run { server in
            let tenant = try server.createTenant("corner-shop")
            let token = try server.addDevice("front desk", to: "corner-shop")
            var laptop = Laptop()
            var customer = laptop.newCustomer("مریم احمدی")
            laptop.write(["phone": .text("+98 71 3222 0000")], to: &customer)
            #expect(try await server.push(laptop.push([customer]), token: token).status == 200)
            var fields = customer.fields
            fields["phone"] = nil
            let erased = RecordState(id: customer.id, kind: .customer, context: customer.context, fields: fields, tombstones: [])
            let refused = try await server.push(laptop.push([erased]), token: token)
            #expect(refused.status == 422, "\(refused.text)")
            let error = try refused.error()
            #expect(error.error == "rejected_record")
            #expect(error.message.contains(customer.id.rawValue) && error.message.contains("field phone"), "\(error.message)")
            let stored = try ReplicaStoreProbe.records(at: server.dataRoot.storePath(of: tenant.slug))
            #expect(stored == [customer], "the phone is still on the server")
        }
    }

    @Test("a field named deleted is refused")
    func theReservedFieldNameIsRefused() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("front desk", to: "corner-shop")
            var laptop = Laptop()
            var customer = laptop.newCustomer("Ελένη")
            laptop.write([Conflict.deletionName: .text("no")], to: &customer)
            let refused = try await server.push(laptop.push([customer]), token: token)
            #expect(refused.status == 422, "\(refused.text)")
            #expect(try refused.error().message.contains("reserved"))
        }
    }
}
