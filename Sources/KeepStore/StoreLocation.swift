public import Foundation

/// Where the store file lives: `--store`, then `KEEP_STORE`, then the XDG data folder.
public enum StoreLocation {
    public static let fileName = "keep.sqlite"

    /// The store path to use, from the command line's `--store` (if any) and the environment.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return absolute(explicit) }
        if let fromEnvironment = environment["KEEP_STORE"], !fromEnvironment.isEmpty { return absolute(fromEnvironment) }
        let dataHome: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            dataHome = xdg
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            dataHome = home + "/.local/share"
        }
        return dataHome + "/keepword/" + fileName
    }

    private static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~/") { return NSHomeDirectory() + path.dropFirst(1) }
        return FileManager.default.currentDirectoryPath + "/" + path
    }
}
