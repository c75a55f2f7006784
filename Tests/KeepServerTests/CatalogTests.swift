import Crypto
import Foundation
import GRDB
import KeepStore
import KeepTenancy
import KeepTestSupport
import Testing

@Suite("Catalog")
struct CatalogTests {
    @Test("slugs are 2 to 63 lowercase letters, digits and dashes, so none names a path outside the data root")
    func slugs() {
        for bad in [
            "../x", "A", "x/y", "", "a", "-ab", "ab.", "..", "Shop", "shop one", "shop_one", "é-shop", String(repeating: "a", count: 64), "a\0b",
        ] {
            #expect(TenantSlug(bad) == nil, "\(bad)")
        }
        for good in ["ab", "corner-shop", "shop-1", "1shop", "a-", String(repeating: "a", count: 63)] {
            #expect(TenantSlug(good)?.rawValue == good, "\(good)")
        }
        #expect(throws: KeepServerError.self) { try TenantSlug.parse("../x") }
    }

    @Test("creating a shop makes its store with the server's own replica id, recorded in the catalog")
    func createTenant() throws {
        let folder = TemporaryFolder()
        let admin = Administration(dataRoot: folder.dataRoot)
        let tenant = try admin.createTenant(TenantSlug("corner-shop")!, name: "The Corner Shop")
        #expect(tenant.name == "The Corner Shop")
        #expect(tenant.status == .active)
        let store = try ReplicaStoreProbe.open(folder.dataRoot.storePath(of: tenant.slug))
        #expect(store.replicaID == tenant.serverReplica)
        let catalog = try folder.dataRoot.openCatalog()
        defer { catalog.close() }
        #expect(try catalog.tenant(tenant.slug)?.serverReplica == tenant.serverReplica)

        // A second create of the same slug changes nothing.
        #expect(throws: KeepServerError.self) { try admin.createTenant(tenant.slug) }
        #expect(try catalog.tenants().count == 1)
        #expect(try ReplicaStoreProbe.open(folder.dataRoot.storePath(of: tenant.slug)).replicaID == tenant.serverReplica)
    }

    @Test("tokens are kw1_<device>_<secret>, and only SHA-256 of the secret reaches the catalog's files")
    func tokenNeverStoredInPlaintext() throws {
        let folder = TemporaryFolder()
        let admin = Administration(dataRoot: folder.dataRoot)
        let slug = TenantSlug("corner-shop")!
        try admin.createTenant(slug)
        let added = try admin.addDevice(named: "laptop", to: slug)
        let token = added.token.text
        #expect(token.wholeMatch(of: /kw1_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/) != nil)
        #expect(token.contains(added.device.id.rawValue))
        #expect(!"\(added.token)".contains(token.suffix(43)), "a token's description hides its secret")

        let secretText = String(token.suffix(43))
        let secret = try #require(
            Data(base64Encoded: secretText.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "=")
        )
        #expect(secret.count == 32)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.dataRoot.path).filter { $0.hasPrefix("catalog.sqlite") }
        var bytes = Data()
        for file in files { bytes += try Data(contentsOf: URL(fileURLWithPath: folder.dataRoot.path + "/" + file)) }
        #expect(bytes.range(of: Data(token.utf8)) == nil)
        #expect(bytes.range(of: Data(secretText.utf8)) == nil)
        #expect(bytes.range(of: secret) == nil)
        // What is there instead: the hash (so the scan above looked at the right bytes).
        #expect(bytes.range(of: Data(SHA256.hash(data: secret))) != nil)
    }

    @Test("authentication needs the genuine secret of an active device")
    func authenticate() throws {
        let folder = TemporaryFolder()
        let admin = Administration(dataRoot: folder.dataRoot)
        let slug = TenantSlug("corner-shop")!
        try admin.createTenant(slug)
        let added = try admin.addDevice(named: "laptop", to: slug)
        let catalog = try folder.dataRoot.openCatalog()
        defer { catalog.close() }
        let token = try #require(DeviceToken(added.token.text))
        let device = try #require(try catalog.authenticate(token))
        #expect(device.tenant == slug)
        #expect(device.name == "laptop")
        let flipped = String(added.token.text.dropLast()) + (added.token.text.hasSuffix("A") ? "Q" : "A")
        if let forged = DeviceToken(flipped) { #expect(try catalog.authenticate(forged) == nil) }
        for malformed in ["", "kw1_", "kw2_" + added.token.text.dropFirst(4), added.token.text + "A", added.token.text.uppercased()] {
            #expect(DeviceToken(malformed) == nil, "\(malformed)")
        }
        try admin.revokeDevice(named: "laptop", of: slug)
        #expect(try catalog.authenticate(#require(DeviceToken(added.token.text))) == nil)
    }

    @Test("device names are 1 to 80 characters, unique among a shop's active devices; a revoked name can be reused")
    func deviceNames() throws {
        let folder = TemporaryFolder()
        let admin = Administration(dataRoot: folder.dataRoot)
        let slug = TenantSlug("corner-shop")!
        let other = TenantSlug("other-shop")!
        try admin.createTenant(slug)
        try admin.createTenant(other)
        for bad in ["", "   ", String(repeating: "x", count: 81), "two\nlines", "tab\there"] {
            #expect(throws: KeepServerError.self, "\(bad)") { try admin.addDevice(named: bad, to: slug) }
        }
        _ = try admin.addDevice(named: String(repeating: "x", count: 80), to: slug)
        _ = try admin.addDevice(named: "front desk", to: slug)
        #expect(throws: KeepServerError.self) { try admin.addDevice(named: "front desk", to: slug) }
        _ = try admin.addDevice(named: "front desk", to: other)
        try admin.revokeDevice(named: "front desk", of: slug)
        _ = try admin.addDevice(named: "front desk", to: slug)
        #expect(throws: KeepServerError.self) { try admin.revokeDevice(named: "nobody", of: slug) }
        #expect(throws: KeepServerError.self) { try admin.addDevice(named: "x", to: TenantSlug("no-such-shop")!) }
    }

    @Test("a command about a shop in an empty folder creates nothing there")
    func noCatalogNoChange() throws {
        let folder = TemporaryFolder()
        let admin = Administration(dataRoot: folder.dataRoot)
        #expect(throws: KeepServerError.self) { try admin.addDevice(named: "laptop", to: TenantSlug("corner-shop")!) }
        #expect(throws: KeepServerError.self) { try admin.revokeDevice(named: "laptop", of: TenantSlug("corner-shop")!) }
        #expect(!FileManager.default.fileExists(atPath: folder.dataRoot.path))
    }

    @Test("the catalog's schema is built by named migrations and enforces the slug rule itself")
    func schema() throws {
        let folder = TemporaryFolder()
        let catalog = try folder.dataRoot.openCatalog()
        catalog.close()
        let database = try DatabaseQueue(path: folder.dataRoot.catalogPath)
        defer { try? database.close() }
        #expect(
            try database.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") } == [
                "v1: tenants and devices", "v2: tenant exports", "v3: pushed counters", "v4: enrollment codes and tenant limits",
                "v5: stable shop ids", "v6: enrollment codes for existing devices", "v7: when devices were last seen",
            ]
        )
        #expect(throws: DatabaseError.self) {
            try database.write { db in
                try db.execute(
                    sql: "INSERT INTO tenant (slug, name, serverReplica, createdAt) VALUES ('../x', 'x', '0123456789abcdef', '2026-01-01')"
                )
            }
        }
    }
}
