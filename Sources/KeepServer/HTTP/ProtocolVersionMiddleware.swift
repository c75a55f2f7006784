import Foundation
import Hummingbird
import KeepProtocol

/// Refuses a client whose protocol or schema this server does not speak (400 without the headers, 426 with
/// a message saying which side to upgrade), before anything else is looked at.
struct ProtocolVersionMiddleware: RouterMiddleware {
    typealias Context = KeepRequestContext

    private static let protocolHeader = HTTPFields.Element.Name(ProtocolVersion.protocolHeader)!
    private static let schemaHeader = HTTPFields.Element.Name(ProtocolVersion.schemaHeader)!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try ProtocolVersion.check(
            clientProtocol: try Self.integer(request.headers[Self.protocolHeader], name: ProtocolVersion.protocolHeader),
            clientSchema: try Self.integer(request.headers[Self.schemaHeader], name: ProtocolVersion.schemaHeader)
        )
        return try await next(request, context)
    }

    private static func integer(_ value: String?, name: String) throws(SyncError) -> Int? {
        guard let value else { return nil }
        guard let number = Int(value.trimmingCharacters(in: .whitespaces)) else {
            throw SyncError.badRequest("the \(name) header must be a whole number, e.g. \(name): \(ProtocolVersion.current)")
        }
        return number
    }
}
