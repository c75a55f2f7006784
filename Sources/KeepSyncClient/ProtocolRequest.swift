public import AsyncHTTPClient
public import Foundation
import KeepProtocol
import NIOCore
public import NIOHTTP1

/// A request of the sync protocol as PROTOCOL.md §2 has it: the version headers, the bearer token, JSON both ways,
/// and gzip for a body big enough to gain from it.
public enum ProtocolRequest {
    public static func make(_ method: HTTPMethod, url: String, token: String?, body: Data?) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.headers.add(name: ProtocolVersion.protocolHeader, value: String(ProtocolVersion.current))
        request.headers.add(name: ProtocolVersion.schemaHeader, value: String(ProtocolVersion.schema))
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            if body.count >= Gzip.worthwhileBytes {
                request.headers.add(name: "Content-Encoding", value: "gzip")
                request.body = .bytes(ByteBuffer(bytes: Gzip.compress(body)))
            } else {
                request.body = .bytes(ByteBuffer(bytes: body))
            }
        }
        return request
    }
}
