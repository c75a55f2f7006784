import Foundation
import GRDB
import KeepTestSupport
import Testing

/// `keep-server status`, `check --json` and `backup --json`: what an operator reads in the morning.
@Suite("The server's status", .serialized)
struct ServerStatusTests {
    @Test func statusShowsDevicesSilentOnesConflictsAndDisk() async throws {
        let (server, anna, bob) = try await twoLaptopsOfOneShop()
        let maria = try await anna.must("customer", "add", "Μαρία Παπαδοπούλου", "--json").json()["id"] as? String ?? ""
        try await anna.must("sync")
        try await bob.must("sync")
        try await anna.must("customer", "edit", maria, "--phone", "210 111 1111")
        try await bob.must("customer", "edit", maria, "--phone", "210 222 2222")
        try await anna.must("sync")
        try await bob.must("sync")
        _ = try await server.enroll(tenant: "kafeneio", device: "front desk")

        // bob's laptop was last seen ten days ago.
        let catalog = try DatabaseQueue(path: server.data + "/catalog.sqlite")
        try await catalog.write { db in
            try db.execute(
                sql: "UPDATE device SET lastSeenAt = ? WHERE name = 'bob-laptop'",
                arguments: [Date().addingTimeInterval(-10 * 24 * 3600)]
            )
        }
        try catalog.close()

        let status = try await server.admin("status")
        #expect(status.status == 0, "\(status.stderr)")
        let lines = status.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("kafeneio") == true && lines.first?.contains("1 open conflicts") == true, "\(status.stdout)")
        #expect(lines.contains { $0.contains("anna-laptop  last synced") && !$0.contains("SILENT") }, "\(status.stdout)")
        #expect(lines.contains { $0.contains("bob-laptop  last synced") && $0.contains("SILENT for more than a week") }, "\(status.stdout)")
        #expect(lines.contains { $0.contains("front desk  never synced") }, "\(status.stdout)")
        #expect(status.stdout.contains("1 shops, 3 devices (1 silent)"), "\(status.stdout)")

        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(try await server.admin("status", "--json").stdout.utf8)) as? [[String: Any]]
        )
        #expect(json.first?["openConflicts"] as? Int == 1)
        #expect(json.first?["silentDevices"] as? [String] == ["bob-laptop"])

        let check = try await server.admin("check", "--all", "--json")
        #expect(check.status == 0)
        let files = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [[String: Any]])
        #expect(files.count == 2 && files.allSatisfy { $0["ok"] as? Bool == true }, "\(check.stdout)")
        let backup = try await server.admin("backup", "--to", server.data + "/backups", "--all", "--json")
        #expect(backup.status == 0, "\(backup.stderr)")
        let made = try #require(try JSONSerialization.jsonObject(with: Data(backup.stdout.utf8)) as? [String: Any])
        #expect((made["copies"] as? [String])?.count == 2 && (made["failures"] as? [Any])?.isEmpty == true, "\(backup.stdout)")
    }
}
