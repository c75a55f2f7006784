import Foundation
import GRDB
import KeepCore
import KeepTestSupport
import Testing

@testable import KeepStore

/// The store finds a customer by a phone number typed in another form than it was written: in search and in a REF.
@Suite("Phone numbers in search and REFs")
struct PhoneSearchTests {
    let folder = TemporaryFolder()

    private func store(countryCode: String?) throws -> ReplicaStore {
        let store = try ReplicaStore.create(at: folder.file("keep.sqlite"), agent: "test")
        if let countryCode { try store.set(.countryCode, to: countryCode) }
        try store.addCustomer("Μαρία Παπαδοπούλου", phone: "+30 210 123 4567")
        try store.addCustomer("Žydrūnė Šimkutė", phone: "8 612 34567")
        try store.addCustomer("مریم احمدی", phone: "۰۹۱۲ ۳۴۵ ۶۷۸۹")
        return store
    }

    private func names(_ hits: [SearchHit], _ store: ReplicaStore) throws -> [String] {
        try hits.compactMap { try store.customer($0.id)?.name }
    }

    @Test func searchFindsTheDigitsInAnyForm() throws {
        let store = try store(countryCode: "30")
        for query in ["2101234567", "00302101234567", "+30 2101234567", "210 1234567", "21012"] {
            #expect(try names(store.search(query), store) == ["Μαρία Παπαδοπούλου"], "\(query)")
        }
        #expect(try names(store.search("09123456789"), store) == ["مریم احمدی"])
        #expect(try names(store.search("61234567"), store) == ["Žydrūnė Šimkutė"], "without the trunk 8")
        #expect(try store.search("2101234568").isEmpty)
        #expect(try store.countryCode() == CountryCode("30"))
    }

    @Test func aRefThatIsAPhoneNumberFindsItsCustomerExactly() throws {
        let store = try store(countryCode: "370")
        #expect(try store.customers(matching: "+370 612 34567").map(\.name) == ["Žydrūnė Šimkutė"], "the trunk 8 of a Lithuanian shop")
        #expect(try store.customers(matching: "0030 210 123 4567").map(\.name) == ["Μαρία Παπαδοπούλου"])
        #expect(try store.customers(matching: "210123").isEmpty, "a REF is the whole number, not its start")
        try store.set(.countryCode, to: "98")
        #expect(try store.customers(matching: "+98 912 345 6789").map(\.name) == ["مریم احمدی"])
    }

    /// A book made before v7 indexed a phone only as written: opening it with this build rebuilds the index.
    @Test func migratingAnOlderBookIndexesItsPhones() throws {
        let path = folder.file("old.sqlite")
        let old = try ReplicaStore.create(at: path, agent: "ana", schemaUpTo: "v6: the reserved field deleted leaves the records that hold it")
        try old.addCustomer("Μαρία Παπαδοπούλου", phone: "+30 210 123 4567")
        try old.close()
        // What the v6 index held: the name, the phone as written and the e-mail, folded.
        let database = try DatabaseQueue(path: path)
        try database.write { db in
            try db.execute(sql: "UPDATE searchIndex SET body = ?", arguments: [SearchText.fold("Μαρία Παπαδοπούλου +30 210 123 4567")])
        }
        let before = try database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM searchIndex WHERE searchIndex MATCH '\"2101234567\"'")
        }
        #expect(before == 0)
        try database.close()

        let migrated = try ReplicaStore.open(at: path)
        #expect(try names(migrated.search("2101234567"), migrated) == ["Μαρία Παπαδοπούλου"])
        #expect(try names(migrated.search("παπαδοπουλου"), migrated) == ["Μαρία Παπαδοπούλου"])
        #expect(try migrated.search("302101234567").count == 1)
    }
}
