import Foundation
import KeepCore
import KeepProtocol
import KeepTenancy
import NIOHTTP1
import Testing

@Suite("Tenant isolation")
struct IsolationTests {
    @Test("a token of shop A never sees or changes shop B, on any endpoint, whatever the path or body say")
    func tokensStayInTheirShop() async throws {
        try await TestServer.run { server in
            let shopA = try server.createTenant("shop-a")
            let shopB = try server.createTenant("shop-b")
            let a = try server.addDevice("laptop", to: "shop-a")
            let b = try server.addDevice("laptop", to: "shop-b")
            var laptopA = Laptop()
            var laptopB = Laptop()
            let secretOfB = laptopB.newCustomer("B's customer")
            _ = try await server.push(laptopB.push([secretOfB]), token: b).decode(PushResponse.self)

            // hello: A's own shop only.
            let hello = try await server.hello(token: a)
            #expect(hello.tenant == "shop-a")
            #expect(hello.serverReplica == shopA.serverReplica)

            // pull: nothing of B, whatever the query says.
            for path in ["/v1/pull", "/v1/pull?tenant=shop-b", "/v1/pull?cursor=\(shopB.serverReplica.rawValue).0"] {
                let response = try await server.send(.GET, path, token: a)
                if response.status == 200 {
                    #expect(try response.decode(PullResponse.self).records.isEmpty, "\(path)")
                }
                #expect(!response.text.contains(secretOfB.id.rawValue))
                #expect(!response.text.contains("shop-b"))
            }

            // push: a record with B's record id lands in A's store, and B's copy is untouched.
            var lookalike = RecordState(id: secretOfB.id, kind: .customer)
            laptopA.write(["name": .text("A's overwrite")], to: &lookalike)
            _ = try await server.push(laptopA.push([lookalike]), token: a).decode(PushResponse.self)
            #expect(try await server.pullAll(token: b) == [secretOfB])
            #expect(try await server.pullAll(token: a) == [lookalike])
            #expect(try ReplicaStoreProbe.records(at: server.dataRoot.storePath(of: shopB.slug)) == [secretOfB])

            // Paths that try to name another shop do not exist.
            #expect(try await server.send(.GET, "/v1/shop-b/pull", token: a).status == 404)
            #expect(try await server.send(.GET, "/shop-b/v1/hello", token: a).status == 404)
        }
    }
}
