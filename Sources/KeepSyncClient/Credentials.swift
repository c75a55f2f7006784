import Foundation
import KeepCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The device token, kept in a file beside the store that only its owner can read.
public enum Credentials {
    public static func path(forStore store: String) -> String { store + ".token" }

    /// Writes the token atomically with mode 0600, so that it is never readable by others, not even briefly.
    public static func save(_ token: String, forStore store: String) throws {
        let target = path(forStore: store)
        let temporary = target + ".new"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw SyncFailure("cannot write the token file \(target): check that you may write to its folder", status: .cannotCreate)
        }
        let bytes = Array((token + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, target) == 0 else {
            unlink(temporary)
            throw SyncFailure("cannot write the token file \(target): is the disk full?", status: .ioError)
        }
    }

    /// The saved token, refusing a file others could read.
    public static func load(forStore store: String) throws -> String {
        let file = path(forStore: store)
        var info = stat()
        guard stat(file, &info) == 0 else {
            throw SyncFailure("this store is not logged in to a sync server: run `keep login URL --token TOKEN` first", status: .configuration)
        }
        guard info.st_mode & 0o077 == 0 else {
            throw SyncFailure(
                "the token file \(file) can be read by others: run `chmod 600 \(file)` and log in again with a new token",
                status: .noPermission
            )
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw SyncFailure("cannot read the token file \(file): check its permissions", status: .noPermission)
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
