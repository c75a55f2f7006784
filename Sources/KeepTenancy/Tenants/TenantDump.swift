import Foundation
import KeepCore
import KeepStore

/// The JSON dump of `tenant export`: the shop, its devices (never their tokens) and every record's full
/// state, written page by page so that a big shop is dumped in bounded memory.
enum TenantDump {
    static func write(tenant: Tenant, devices: [Device], storeCopy: String, to path: String, now: Date) throws(KeepServerError) {
        do {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw KeepServerError(.cannotCreate(path: path, detail: "the file could not be created"))
            }
            let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? file.close() }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            var exported = tenant
            exported.exportedAt = now
            // The header's members, then "records" as the last member, streamed.
            var opening = try encoder.encode(TenantJSON(exported, devices: devices))
            opening.removeLast()
            try file.write(contentsOf: opening + Data(#","records":["#.utf8))
            let store = try ReplicaStore.open(at: storeCopy, migrating: false)
            defer { try? store.close() }
            var after: Int64 = 0
            var first = true
            while true {
                let page = try store.changes(after: after, limit: 1_000)
                for state in page.states {
                    try file.write(contentsOf: Data((first ? "\n" : ",\n").utf8) + encoder.encode(state))
                    first = false
                }
                after = page.lastSeq
                if !page.more { break }
            }
            try file.write(contentsOf: Data("\n]}\n".utf8))
            try file.synchronize()
        } catch let error as KeepServerError {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        } catch let error as StoreError {
            try? FileManager.default.removeItem(atPath: path)
            throw KeepServerError(.store(error))
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw KeepServerError(.cannotCreate(path: path, detail: error.localizedDescription))
        }
    }
}
