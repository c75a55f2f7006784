import Foundation
import KeepCore
import KeepProtocol
import KeepServer
import KeepTenancy
import NIOHTTP1
import Testing

@Suite("Sync endpoints")
struct SyncEndpointTests {
    @Test("healthz answers without a token")
    func healthz() async throws {
        try await TestServer.run { server in
            let response = try await server.send(.GET, "/healthz", versions: nil)
            #expect(response.status == 200)
            #expect(response.headers.first(name: "Content-Type") == "application/json")
            #expect(try JSONDecoder().decode([String: String].self, from: response.body) == ["status": "ok"])
        }
    }

    @Test("hello names the shop, the device, the server's replica and the limits")
    func hello() async throws {
        try await TestServer.run { server in
            let tenant = try server.createTenant("corner-shop")
            let token = try server.addDevice("front desk", to: "corner-shop")
            let hello = try await server.hello(token: token)
            #expect(hello.tenant == "corner-shop")
            #expect(hello.device == "front desk")
            #expect(hello.serverReplica == tenant.serverReplica)
            #expect(hello.deviceReplica == nil)
            #expect(hello.protocolVersion == ProtocolVersion.current)
            #expect(hello.schema == ProtocolVersion.schema)
            #expect(hello.limits == SyncService.limits)
        }
    }

    @Test("a push is merged durably and comes back in a pull, page by page")
    func pushThenPull() async throws {
        try await TestServer.run { server in
            let tenant = try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            var laptop = Laptop()
            let records = (1...5).map { laptop.newCustomer("Customer \($0)") }
            let pushed: PushResponse = try await server.push(laptop.push(records), token: token).decode()
            #expect(pushed == PushResponse(received: 5, changed: 5, conflicted: 0))

            let first: PullResponse = try await server.pull(token: token, limit: 2).decode()
            #expect(first.records.count == 2)
            #expect(first.more)
            #expect(first.cursor.hasPrefix(tenant.serverReplica.rawValue + "."))
            let all = try await server.pullAll(token: token)
            #expect(Set(all) == Set(records))

            // The server's store on disk holds them too.
            let store = try ReplicaStoreProbe.records(at: server.dataRoot.storePath(of: tenant.slug))
            #expect(Set(store) == Set(records))
            #expect(try await server.hello(token: token).deviceReplica == laptop.replica)
        }
    }

    @Test("a replayed push changes nothing")
    func replayedPush() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            var laptop = Laptop()
            var customer = laptop.newCustomer("Ada")
            let request = laptop.push([customer, laptop.newCustomer("Grace")])
            #expect(try await server.push(request, token: token).decode(PushResponse.self).changed == 2)
            #expect(try await server.push(request, token: token).decode(PushResponse.self) == PushResponse(received: 2, changed: 0, conflicted: 0))

            laptop.write(["phone": .text("555")], to: &customer)
            let edit = laptop.push([customer])
            #expect(try await server.push(edit, token: token).decode(PushResponse.self).changed == 1)
            #expect(try await server.push(edit, token: token).decode(PushResponse.self).changed == 0)
            #expect(try await server.pullAll(token: token).count == 2)
        }
    }

    @Test("a dot of another replica the server does not hold is refused with 422, and nothing of the push is kept")
    func foreignDotRejected() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            var laptop = Laptop()
            var someoneElse = Laptop()
            let honest = laptop.newCustomer("Ada")
            let forged = someoneElse.newCustomer("Mallory")
            let response = try await server.push(laptop.push([honest, forged]), token: token)
            #expect(response.status == 422)
            #expect(try response.error().error == "rejected_record")
            #expect(try response.error().message.contains(forged.id.rawValue))
            #expect(try await server.pullAll(token: token).isEmpty)
        }
    }

    @Test("a device is bound to its replica by its first push; another replica, or another device's, gets 403")
    func replicaBinding() async throws {
        try await TestServer.run { server in
            let tenant = try server.createTenant("corner-shop")
            let first = try server.addDevice("first", to: "corner-shop")
            let second = try server.addDevice("second", to: "corner-shop")
            var laptop = Laptop()
            var otherLaptop = Laptop()
            #expect(try await server.push(laptop.push([laptop.newCustomer("Ada")]), token: first).status == 200)

            // The same device under another replica.
            let switched = try await server.push(otherLaptop.push([otherLaptop.newCustomer("Bob")]), token: first)
            #expect(switched.status == 403)
            #expect(try switched.error().error == "replica_mismatch")
            // Another device under the first one's replica.
            let borrowed = try await server.push(laptop.push([laptop.newCustomer("Cy")]), token: second)
            #expect(borrowed.status == 403)
            #expect(try borrowed.error().error == "replica_mismatch")
            // The server's own replica.
            let serverOwn = try await server.push(PushRequest(replica: tenant.serverReplica, records: []), token: second)
            #expect(serverOwn.status == 403)
            #expect(try await server.pullAll(token: first).count == 1)
            #expect(try await server.hello(token: second).deviceReplica == nil)

            // A laptop that needs a new token for its store gets one by rotation, and keeps its store.
            let rotated = try server.admin.rotateDevice(named: "first", of: tenant.slug).token.text
            #expect(try await server.push(laptop.push([laptop.newCustomer("Di")]), token: rotated).status == 200)
            // Once its device is revoked, a replica id is never handed to another device (MERGE.md §2.1).
            try server.admin.revokeDevice(named: "first", of: tenant.slug)
            let relogin = try server.addDevice("first again", to: "corner-shop")
            #expect(try await server.push(laptop.push([laptop.newCustomer("Eve")]), token: relogin).status == 403)
        }
    }
}
