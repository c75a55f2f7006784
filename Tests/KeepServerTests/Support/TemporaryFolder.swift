import Foundation
import KeepTenancy

/// A fresh folder under the system's temporary directory, removed when the value goes away.
final class TemporaryFolder: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("keep-server-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A data root inside the folder, not yet created.
    var dataRoot: DataRoot { DataRoot(path + "/data") }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
