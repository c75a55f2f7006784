/// Why a sync request failed: a stable code, the HTTP status that carries it, and a message that says what to do.
///
/// The server sends it as `{ "error": code, "message": text }`; the client reads it back. A struct around a
/// private enum, so that new codes never break callers.
public struct SyncError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The machine-readable code of an error, as sent in the `error` field.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }

        public static let badRequest = Code(rawValue: "bad_request")
        public static let malformedJSON = Code(rawValue: "malformed_json")
        public static let badCursor = Code(rawValue: "bad_cursor")
        public static let unauthorized = Code(rawValue: "unauthorized")
        public static let forbidden = Code(rawValue: "forbidden")
        public static let suspended = Code(rawValue: "suspended")
        public static let replicaMismatch = Code(rawValue: "replica_mismatch")
        public static let notFound = Code(rawValue: "not_found")
        public static let tooLarge = Code(rawValue: "too_large")
        public static let rejectedRecord = Code(rawValue: "rejected_record")
        public static let upgradeClient = Code(rawValue: "upgrade_client")
        public static let upgradeServer = Code(rawValue: "upgrade_server")
        public static let tooManyRequests = Code(rawValue: "too_many_requests")
        public static let unavailable = Code(rawValue: "unavailable")
        /// The shop's store on the server is damaged: it is out of service until the operator restores it.
        public static let storeDamaged = Code(rawValue: "store_damaged")
        /// A request's body did not arrive in time.
        public static let requestTimeout = Code(rawValue: "request_timeout")
        public static let internalError = Code(rawValue: "internal")
    }

    /// What kind of failure it is, sent as `error`: what a client decides on.
    public let code: Code
    /// What went wrong and what to do about it, for a person to read; sent as `message`.
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// The HTTP status that carries this error.
    public var httpStatus: Int {
        switch code {
        case .badRequest, .malformedJSON, .badCursor: 400
        case .unauthorized: 401
        case .forbidden, .suspended, .replicaMismatch: 403
        case .notFound: 404
        case .requestTimeout: 408
        case .tooLarge: 413
        case .rejectedRecord: 422
        case .upgradeClient, .upgradeServer: 426
        case .tooManyRequests: 429
        case .unavailable, .storeDamaged: 503
        default: 500
        }
    }

    /// The JSON body sent with the error.
    public var body: ErrorBody { ErrorBody(self) }

    public static func badRequest(_ message: String) -> SyncError { SyncError(code: .badRequest, message: message) }
    public static func malformedJSON(_ message: String) -> SyncError { SyncError(code: .malformedJSON, message: message) }
    public static func badCursor(_ message: String) -> SyncError { SyncError(code: .badCursor, message: message) }
    public static func rejectedRecord(_ message: String) -> SyncError { SyncError(code: .rejectedRecord, message: message) }
    public static func upgradeClient(_ message: String) -> SyncError { SyncError(code: .upgradeClient, message: message) }
    public static func upgradeServer(_ message: String) -> SyncError { SyncError(code: .upgradeServer, message: message) }
    public static func tooLarge(_ message: String) -> SyncError { SyncError(code: .tooLarge, message: message) }
    public static func unavailable(_ message: String) -> SyncError { SyncError(code: .unavailable, message: message) }
    public static func internalError(_ message: String) -> SyncError { SyncError(code: .internalError, message: message) }

    /// The answer for a shop whose store on the server is damaged: served again once the operator restores it.
    public static let storeDamaged = SyncError(
        code: .storeDamaged,
        message:
            "the shop's store on the server is damaged and out of service until the server's operator restores it; nothing was changed, and this laptop keeps all it wrote: sync again later"
    )

    /// The one answer to a missing, malformed, unknown or revoked token: it says nothing about any tenant.
    public static let unauthorized = SyncError(
        code: .unauthorized,
        message: "the token is missing, unknown or revoked: log in again with `keep login URL --token TOKEN`"
    )
}

extension SyncError {
    /// The one answer to an enrollment code that is unknown, used or expired.
    public static let badEnrollmentCode = SyncError(
        code: .unauthorized,
        message: "the enrollment code is unknown, already used or expired: ask the server's operator for a new one (keep-server device enroll)"
    )
}

/// The JSON body of every error response: made only from a `SyncError`, so that no body carries a code
/// the error table does not have.
public struct ErrorBody: Codable, Sendable, Hashable {
    /// The error's code, e.g. `rejected_record` (`SyncError.Code`).
    public let error: String
    /// The message for a person, naming the problem and the fix.
    public let message: String

    public init(_ error: SyncError) {
        self.error = error.code.rawValue
        self.message = error.message
    }
}
