import Foundation
import KeepCore
import KeepTestSupport
import Testing

/// `keep customer forget`: after a sync and a checkpoint, no byte of the customer's name, phone or words is left in
/// any replica's database file, the server's included; what remains still counts in reports.
@Suite("Forgetting a customer", .serialized)
struct ForgetTests {
    @Test func noByteOfAForgottenCustomerIsLeftInAnyReplicaAfterSync() throws {
        let server = try ServerProcess()
        let folder = server.data + "/laptops"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let anna = try Laptop(name: "anna", folder: folder)
        let bob = try Laptop(name: "bob", folder: folder)
        try anna.must("login", server.url, "--token", server.enroll(tenant: "kafeneio", device: "anna-laptop"))
        try bob.must("login", server.url, "--token", server.enroll(tenant: "kafeneio", device: "bob-laptop"))

        let secrets = ["Ξενοφώντος", "+30 699 1112223", "xenofontos@example.gr", "Zephyr-Q7", "Ανδρέα"]
        try anna.must("customer", "add", "Ανδρέας Ξενοφώντος", "--phone", "+30 699 1112223", "--email", "xenofontos@example.gr")
        try anna.must("customer", "add", "Jonas Petraitis")
        try anna.must("note", "add", "Ξενοφώντος", "Ρώτησε για το ψυγείο Zephyr-Q7 και τις δόσεις")
        try anna.must("promise", "add", "Ξενοφώντος", "Να πάρω τον Ανδρέα τηλέφωνο για το Zephyr-Q7", "--due", "+2d")
        try anna.must("purchase", "add", "Ξενοφώντος", "Zephyr-Q7", "--amount", "899")
        try anna.must("sync")
        try bob.must("sync")
        // A conflict on the name, so that the losing value sits in the record too.
        try anna.must("customer", "edit", "Ξενοφώντος", "--name", "Ανδρέας Ξενοφώντος (Κηφισιά)")
        try bob.must("customer", "edit", "Ξενοφώντος", "--name", "Ανδρέας Ξενοφώντος-Ζαχαρίου")
        try anna.must("sync")
        try bob.must("sync")
        try anna.must("sync")
        #expect(try anna.must("conflicts", "--json").stdout.contains("Ξενοφώντος"))

        let forgot = try bob.must("customer", "forget", "Ξενοφώντος", "--yes")
        #expect(forgot.stdout.contains("4 records rewritten"), "\(forgot.stdout)")
        try bob.must("sync")
        try anna.must("sync")
        server.stop()

        for file in [anna.store, bob.store, server.data + "/kafeneio/store.sqlite"] {
            var bytes = Data()
            for suffix in ["", "-wal"] { bytes += FileManager.default.contents(atPath: file + suffix) ?? Data() }
            #expect(bytes.count > 10_000, "\(file) was read")
            // As written, and as the search index keeps words: folded, without case or accents.
            for secret in secrets + secrets.map(SearchText.fold) {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) still holds \"\(secret)\"")
            }
            #expect(bytes.range(of: Data("Petraitis".utf8)) != nil, "\(file) keeps the other customers")
        }
        let customers = try anna.must("customer", "list", "--json").stdout
        #expect(customers.contains("Forgotten customer"))
        let left = try JSONSerialization.jsonObject(with: Data(anna.must("conflicts", "--json").stdout.utf8)) as? [Any]
        #expect(left?.isEmpty == true, "the forget settled the name conflict: \(String(describing: left))")
        let report = try #require(try anna.must("report", "--json").json()["promises"] as? [String: Any])
        #expect(report["made"] as? Int == 1, "the anonymous promise still counts")
        #expect(try anna.must("search", "Zephyr").stdout.isEmpty)
    }
}
