public import Hummingbird
public import KeepProtocol

extension SyncError.Code {
    /// The route exists, with other methods (HTTP 405); a server-side code, so the client needs no change.
    static let methodNotAllowed = SyncError.Code(rawValue: "method_not_allowed")
}

extension SyncError: HTTPResponseError {
    /// The status that carries this error.
    public var status: HTTPResponse.Status {
        code == .methodNotAllowed ? .methodNotAllowed : HTTPResponse.Status(code: httpStatus)
    }

    /// `{ "error": code, "message": text }` as JSON, with the status of the code.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse.make(body, status: status)
    }
}
