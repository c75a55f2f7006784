import KeepStore

/// A failure the shop owner can act on: a one-line message naming the problem and the fix, and a sysexits status.
struct KeepError: Error, CustomStringConvertible {
    /// Exit statuses from sysexits(3), so scripts can tell bad input from a busy store.
    enum Status: Int32 {
        case usage = 64
        case dataError = 65
        case noInput = 66
        case unavailable = 69
        case software = 70
        case cannotCreate = 73
        case ioError = 74
        case temporaryFailure = 75
        case noPermission = 77
        case configuration = 78
    }

    let message: String
    let status: Status
    /// Extra lines printed after the message, such as the candidates for an ambiguous REF.
    var details: [String] = []

    init(_ message: String, status: Status = .dataError, details: [String] = []) {
        self.message = message
        self.status = status
        self.details = details
    }

    init(_ error: StoreError) {
        self.message = error.description
        self.status =
            switch error.category {
            case .notFound: .noInput
            case .invalidInput, .rejected: .dataError
            case .unavailable: .temporaryFailure
            case .damaged: .dataError
            case .permission: .noPermission
            case .internalFailure: .software
            }
    }

    var description: String { message }
}
