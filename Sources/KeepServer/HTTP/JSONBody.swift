import Foundation
import Hummingbird
import KeepProtocol
import NIOCore

/// Reads a JSON request body within the size limit, and says exactly what is wrong with a malformed one.
enum JSONBody {
    static let tooLarge = SyncError.tooLarge(
        "the request body is over the server's limit of \(SyncService.limits.maxBodyBytes) bytes: send fewer records per push"
    )

    /// How long a body may take to arrive: a page of half the body limit over a slow shop's line, with room.
    static let timeout: Duration = .seconds(120)

    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int = SyncService.limits.maxBodyBytes) async throws -> T {
        try decode(type, from: try await read(request, limit: limit))
    }

    /// The bytes reading `request`'s body holds before it is inflated: what it says it sends, or the limit when it
    /// does not say.
    static func bytesToHold(_ request: Request, limit: Int = SyncService.limits.maxBodyBytes) -> Int {
        min(request.headers[.contentLength].flatMap { Int($0) } ?? limit, limit)
    }

    /// The body as sent, decompressed, within the limit and within ``timeout``; `reservation`, when the body counts
    /// against the server's budget, follows what it holds:
    /// while a gzip body inflates, up to the limit more (briefly: inflating holds a thread, so few do it at once),
    /// then what it inflated to.
    static func read(
        _ request: Request,
        holding reservation: BodyReservation? = nil,
        limit: Int = SyncService.limits.maxBodyBytes
    ) async throws -> Data {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        let buffer = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask {
                do {
                    return try await request.body.collect(upTo: limit)
                } catch is NIOTooManyBytesError {
                    throw tooLarge
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let buffer = first else {
                throw SyncError(
                    code: .requestTimeout,
                    message:
                        "the request body did not arrive within \(timeout.components.seconds) seconds: check the connection and sync again; nothing was changed"
                )
            }
            return buffer
        }
        let sent = Data(buffer.readableBytesView)
        try reservation?.resize(to: sent.count)
        return try decoded(sent, encoding: request.headers[.contentEncoding], limit: limit, holding: reservation)
    }

    /// A message read from a body already read.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try WireJSON.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw SyncError.malformedJSON(describe(error))
        }
    }

    /// The body as sent, or decompressed when the client sent it with `Content-Encoding: gzip`.
    private static func decoded(_ data: Data, encoding: String?, limit: Int, holding reservation: BodyReservation?) throws(SyncError) -> Data {
        switch encoding?.trimmingCharacters(in: .whitespaces).lowercased() {
        case nil, "", "identity": return data
        case "gzip":
            try reservation?.resize(to: data.count + limit)
            let inflated = try Gzip.decompress(data, limit: limit)
            try reservation?.resize(to: inflated.count)
            return inflated
        case let other?:
            throw SyncError.badRequest("Content-Encoding \"\(other.prefix(40))\" is not supported: send the body as it is, or with gzip")
        }
    }

    /// "records[0].id: a record id is 32 lowercase hex digits", and the like.
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            let detail = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String ?? context.debugDescription
            return "the body is not valid JSON (\(detail)): send one JSON object as Sync/PROTOCOL.md describes"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)) is invalid: \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing: every field of the message is required"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) has the wrong type: expected \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) is null: expected \(typeName(type))"
        @unknown default:
            return "the body could not be read: \(error)"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        guard !codingPath.isEmpty else { return "the body" }
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is UInt64.Type: "a whole number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "\(type)"
        }
    }
}
