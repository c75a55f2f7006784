import AsyncHTTPClient
import Foundation
import KeepCore
import KeepProtocol
import KeepSyncClient
import NIOCore
import NIOHTTP1
import NIOSSL

/// What one HTTP exchange returned.
struct Exchange: Sendable {
    let status: UInt
    /// The body as it came over the wire (gzip when the server compressed it).
    let wire: ByteBuffer
    let gzipped: Bool

    /// The body, decompressed when it came compressed.
    func body() throws -> Data {
        let data = Data(wire.readableBytesView)
        return gzipped ? try Gzip.decompress(data, limit: SyncService.limits.maxBodyBytes * 4) : data
    }
}

/// The sync protocol's calls over HTTPS with AsyncHTTPClient, as `keep` makes them (pinned certificate, the version
/// headers, gzip accepted and sent for big bodies), for load generation and for timing the server without `keep`'s
/// own work.
final class SyncClient: Sendable {
    let base: String
    let client: HTTPClient

    /// A client of the server at `base` trusting only `certificatePEM`, with up to `connections` connections at once.
    init(base: String, certificatePEM: String, connections: Int = 8) throws {
        self.base = base
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)))
        tls.certificateVerification = .noHostnameVerification
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.decompression = .disabled
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    /// One request; `token` nil for the unauthenticated routes.
    func send(
        _ method: HTTPMethod,
        _ path: String,
        token: String?,
        body: Data? = nil,
        upTo limit: Int = SyncService.limits.maxBodyBytes * 4
    ) async throws -> Exchange {
        let request = ProtocolRequest.make(method, url: base + path, token: token, body: body)
        let response = try await client.execute(request, timeout: .seconds(60))
        let wire = try await response.body.collect(upTo: limit)
        return Exchange(status: response.status.code, wire: wire, gzipped: response.headers["Content-Encoding"].first == "gzip")
    }

    /// A call that must answer 200, decoded as `T`.
    func call<T: Decodable>(_ method: HTTPMethod, _ path: String, token: String?, body: Data? = nil, as type: T.Type) async throws -> T {
        let exchange = try await send(method, path, token: token, body: body)
        let data = try exchange.body()
        guard exchange.status == 200 else {
            throw BenchFailure("\(method) \(path) answered \(exchange.status): \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        return try JSONDecoder().decode(T.self, from: data)
    }

    static func pullPath(cursor: String?, limit: Int = SyncService.limits.maxPullRecords) -> String {
        var path = "/v1/pull?limit=\(limit)"
        if let cursor, !cursor.isEmpty {
            path += "&cursor=" + (cursor.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? cursor)
        }
        return path
    }
}

/// The part of a pull answer that says where the next page starts, read without decoding the records.
struct PullPosition: Decodable {
    let cursor: String
    let more: Bool
}
