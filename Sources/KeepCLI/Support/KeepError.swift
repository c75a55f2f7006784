import KeepCore
import KeepStore
import KeepSyncClient

/// A failure the shop owner can act on: a one-line message naming the problem and the fix, and a sysexits status.
struct KeepError: Error, CustomStringConvertible {
    let message: String
    let status: ExitStatus
    /// Extra lines printed after the message, such as the candidates for an ambiguous REF.
    var details: [String] = []

    init(_ message: String, status: ExitStatus = .dataError, details: [String] = []) {
        self.message = message
        self.status = status
        self.details = details
    }

    init(_ error: StoreError) {
        self.message = error.description
        self.status = ExitStatus(error)
        self.details = error.details
    }

    init(_ failure: SyncFailure) {
        self.init(failure.message, status: failure.status)
    }

    var description: String { message }
}
