public import Foundation

/// A fresh folder under the system's temporary directory, removed when the value goes away.
public final class TemporaryFolder: Sendable {
    public let path: String

    /// Creates the folder; if that fails, the first file written into it says so.
    public init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("keep-tests-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    public func file(_ name: String) -> String { path + "/" + name }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
