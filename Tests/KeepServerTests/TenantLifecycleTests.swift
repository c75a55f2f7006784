import Foundation
import KeepCore
import KeepProtocol
import KeepStore
import KeepTenancy
import KeepTestSupport
import NIOHTTP1
import Testing

@Suite("Tenant lifecycle")
struct TenantLifecycleTests {
    @Test("suspend gives the shop's devices 403 suspended while the server runs; resume lets them sync again")
    func suspendAndResume() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            let slug = TenantSlug("corner-shop")!
            try server.admin.suspend(slug)
            let refused = try await server.send(.GET, "/v1/pull", token: token)
            #expect(refused.status == 403)
            #expect(try refused.error().error == "suspended")
            #expect(try refused.error().message.contains("suspended"))
            try server.admin.resume(slug)
            #expect(try await server.send(.GET, "/v1/pull", token: token).status == 200)
            let actions = try server.admin.tenant(slug).audit.map(\.action)
            #expect(actions == ["tenant create", "device add", "tenant suspend", "tenant resume"])
        }
    }

    @Test("rotate: the old token gets 401 at once, the new one syncs as the same device")
    func rotate() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let old = try server.addDevice("laptop", to: "corner-shop")
            var laptop = Laptop()
            #expect(try await server.push(laptop.push([laptop.newCustomer("Jonas Kazlauskas")]), token: old).status == 200)
            let rotated = try server.admin.rotateDevice(named: "laptop", of: TenantSlug("corner-shop")!).token.text
            #expect(try await server.send(.GET, "/v1/hello", token: old).status == 401)
            let hello = try await server.hello(token: rotated)
            #expect(hello.deviceReplica == laptop.replica, "the device keeps its store")
        }
    }

    @Test("export while serving writes a store copy that passes integrity_check and a JSON dump of every record")
    func export() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            var laptop = Laptop()
            let records = (0..<30).map { laptop.newCustomer("Ελένη Παππά \($0)") }
            #expect(try await server.push(laptop.push(records), token: token).status == 200)
            let folder = TemporaryFolder()
            let export = try server.admin.export(TenantSlug("corner-shop")!, to: folder.path + "/exports")
            #expect(try ReplicaStore.integrityProblems(at: export.storeCopy).isEmpty)
            let copy = try ReplicaStore.open(at: export.storeCopy, migrating: false)
            #expect(try copy.changes(after: 0, limit: 100).states.count == 30)
            try copy.close()
            let dump = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: export.json))) as? [String: Any]
            #expect(dump?["slug"] as? String == "corner-shop")
            #expect((dump?["records"] as? [Any])?.count == 30)
            #expect(!(try String(contentsOfFile: export.json, encoding: .utf8)).contains(token.suffix(43)), "no token in the dump")
        }
    }

    @Test("delete refuses a shop never exported, then after an export leaves nothing of the shop and stops its tokens")
    func delete() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            try server.createTenant("other-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            let slug = TenantSlug("corner-shop")!
            #expect(throws: KeepServerError.self) { try server.admin.delete(slug, force: false) }
            #expect(try await server.send(.GET, "/v1/hello", token: token).status == 200, "a refused delete changes nothing")
            let folder = TemporaryFolder()
            _ = try server.admin.export(slug, to: folder.path)
            try server.admin.delete(slug, force: false)
            #expect(!FileManager.default.fileExists(atPath: server.dataRoot.folder(of: slug)))
            #expect(try server.admin.tenants().map(\.tenant.slug.rawValue) == ["other-shop"])
            #expect(try await server.send(.GET, "/v1/hello", token: token).status == 401)
        }
    }

    @Test("a backup taken during a sync load restores and passes integrity_check")
    func backupDuringLoad() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            let folder = TemporaryFolder()
            let backups = try await withThrowingTaskGroup(of: [String].self) { group in
                group.addTask {
                    var laptop = Laptop()
                    for round in 0..<20 {
                        let page = (0..<50).map { laptop.newCustomer("Σοφία \(round)-\($0)") }
                        let response = try await server.push(laptop.push(page), token: token)
                        guard response.status == 200 else { throw TestFailure("push \(round): \(response.status) \(response.text)") }
                    }
                    return []
                }
                group.addTask {
                    var copies: [String] = []
                    for _ in 0..<5 {
                        let result = try server.admin.backup([TenantSlug("corner-shop")!], to: folder.path)
                        #expect(result.failures.isEmpty)
                        copies.append(contentsOf: result.copies)
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    return copies
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(backups.count == 10, "a catalog and a store per backup")
            for copy in backups {
                #expect(try ReplicaStore.integrityProblems(at: copy).isEmpty, "\(copy)")
            }
            for copy in backups where copy.hasSuffix("corner-shop.sqlite") {
                let store = try ReplicaStore.open(at: copy, migrating: false)
                let count = try store.changes(after: 0, limit: 1_000).states.count
                #expect(count % 50 == 0, "a backup holds whole pushes only, got \(count) records")
                try store.close()
            }
        }
    }
}
