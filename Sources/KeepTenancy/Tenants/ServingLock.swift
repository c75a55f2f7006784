import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The claim of one `keep-server serve` on a data folder, held until the process ends: a second server on the same
/// folder is refused instead of running beside the first, each with its own pool of the same shops' stores.
///
/// An advisory lock (flock) on the data folder itself, so that claiming it writes nothing there; the kernel drops
/// it when the process dies, however it dies, so a killed server never leaves a stale claim.
public final class ServingLock: Sendable {
    private let descriptor: Int32

    /// Claims `dataRoot`, which must exist, or says that another server holds it.
    public init(_ dataRoot: DataRoot) throws(KeepServerError) {
        let descriptor = open(dataRoot.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw KeepServerError(.cannotCreate(path: dataRoot.path, detail: String(cString: strerror(errno)))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw KeepServerError(.alreadyServed(dataRoot: dataRoot.path))
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}
