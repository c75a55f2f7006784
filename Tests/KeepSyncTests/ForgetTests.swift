import Foundation
import KeepCore
import KeepTestSupport
import Testing

/// `keep customer forget`: after a sync and a checkpoint, no byte of the customer's name, phone or words is left in
/// any replica's database file, the server's included; what remains still counts in reports.
@Suite("Forgetting a customer", .serialized)
struct ForgetTests {
    @Test func noByteOfAForgottenCustomerIsLeftInAnyReplicaAfterSync() async throws {
        let (server, anna, bob) = try await twoLaptopsOfOneShop()

        let secrets = ["Ξενοφώντος", "+30 699 1112223", "xenofontos@example.gr", "Zephyr-Q7", "Ανδρέα"]
        try await anna.must("customer", "add", "Ανδρέας Ξενοφώντος", "--phone", "+30 699 1112223", "--email", "xenofontos@example.gr")
        try await anna.must("customer", "add", "Jonas Petraitis")
        try await anna.must("note", "add", "Ξενοφώντος", "Ρώτησε για το ψυγείο Zephyr-Q7 και τις δόσεις")
        try await anna.must("promise", "add", "Ξενοφώντος", "Να πάρω τον Ανδρέα τηλέφωνο για το Zephyr-Q7", "--due", "+2d")
        try await anna.must("purchase", "add", "Ξενοφώντος", "Zephyr-Q7", "--amount", "899")
        try await anna.must("sync")
        try await bob.must("sync")
        // A conflict on the name, so that the losing value sits in the record too.
        try await anna.must("customer", "edit", "Ξενοφώντος", "--name", "Ανδρέας Ξενοφώντος (Κηφισιά)")
        try await bob.must("customer", "edit", "Ξενοφώντος", "--name", "Ανδρέας Ξενοφώντος-Ζαχαρίου")
        try await anna.must("sync")
        try await bob.must("sync")
        try await anna.must("sync")
        #expect(try await anna.must("conflicts", "--json").stdout.contains("Ξενοφώντος"))

        let forgot = try await bob.must("customer", "forget", "Ξενοφώντος", "--yes")
        #expect(forgot.stdout.contains("4 records rewritten"), "\(forgot.stdout)")
        try await bob.must("sync")
        try await anna.must("sync")
        server.stop()

        for file in [anna.store, bob.store, server.storePath(of: "kafeneio")] {
            var bytes = Data()
            for suffix in ["", "-wal"] { bytes += FileManager.default.contents(atPath: file + suffix) ?? Data() }
            #expect(bytes.count > 10_000, "\(file) was read")
            // As written, and as the search index keeps words: folded, without case or accents.
            for secret in secrets + secrets.map(SearchText.fold) {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) still holds \"\(secret)\"")
            }
            #expect(bytes.range(of: Data("Petraitis".utf8)) != nil, "\(file) keeps the other customers")
        }
        let customers = try await anna.must("customer", "list", "--json").stdout
        #expect(customers.contains("Forgotten customer"))
        let left = try JSONSerialization.jsonObject(with: Data(await anna.must("conflicts", "--json").stdout.utf8)) as? [Any]
        #expect(left?.isEmpty == true, "the forget settled the name conflict: \(String(describing: left))")
        let report = try #require(try await anna.must("report", "--json").json()["promises"] as? [String: Any])
        #expect(report["made"] as? Int == 1, "the anonymous promise still counts")
        #expect(try await anna.must("search", "Zephyr").stdout.isEmpty)
    }
}
