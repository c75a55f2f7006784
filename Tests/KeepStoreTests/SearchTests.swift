import Foundation
import KeepCore
import KeepTestSupport
import Testing

@testable import KeepStore

/// Search over the corpus of real Greek, Lithuanian and Persian customer-service articles.
@Suite("Search over the corpus")
struct SearchTests {
    let folder = TemporaryFolder()
    let store: ReplicaStore

    init() throws {
        store = try ReplicaStore.create(at: folder.file("keep.sqlite"), agent: "test")
        let customer = try store.addCustomer("Αικατερίνη Οικονόμου")
        let files = [
            "el-customer-support.txt", "el-satisfaction-methods.txt", "el-why-service-matters.txt", "lt-customer-service.txt", "fa-seven-tips.txt",
        ]
        let paragraphs = try files.flatMap(Corpus.paragraphs)
        try store.write(agent: "test") { writer in
            for paragraph in paragraphs {
                try writer.create(.note, Note.creation(customer: customer, kind: .note, channel: nil, text: paragraph, author: "test", at: Date()))
            }
        }
    }

    private func texts(_ query: String) throws -> [String] { try store.search(query, limit: 500).map(\.text) }

    @Test func greekWithoutAccentsFindsTheAccentedNote() throws {
        let accented = try texts("εξυπηρέτηση")
        #expect(!accented.isEmpty)
        #expect(try texts("εξυπηρετηση") == accented)
        #expect(try texts("ΕΞΥΠΗΡΕΤΗΣΗ") == accented)
        #expect(accented.allSatisfy { SearchText.fold($0).contains("εξυπηρετηση") })
    }

    @Test func greekFinalSigmaAndPrefixes() throws {
        #expect(try !texts("πελατης").isEmpty)
        #expect(try texts("πελατ").count > texts("πελατης").count)
    }

    @Test func lithuanianWithoutDiacritics() throws {
        let found = try texts("klientu aptarnavimas")
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0.lowercased().contains("klientų") })
    }

    @Test func persianWithArabicLettersAndDigits() throws {
        // The article writes Persian yeh and kaf; a query typed with Arabic letters still finds it.
        let persian = try texts("مشتری")
        #expect(!persian.isEmpty)
        #expect(try texts("مشتري") == persian)
    }

    @Test func customersAreFoundByNameAndPhone() throws {
        try store.addCustomer("Jonas Petraitis", phone: "+370 612 34567")
        #expect(try store.search("oikonomou").isEmpty)
        #expect(try store.search("οικονομου").map(\.kind) == [.customer])
        #expect(try store.search("petraitis").map(\.kind) == [.customer])
        #expect(try store.search("34567").map(\.kind) == [.customer])
    }

    @Test func hostileQueriesNeverFail() throws {
        for query in ["\"", "AND OR NOT", "*", "(", "NEAR(a b)", "-", "^", "'; DROP TABLE note; --", "col:val", ""] {
            _ = try store.search(query)
        }
        #expect(try !store.customers().isEmpty)
    }
}
