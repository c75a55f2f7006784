import AsyncHTTPClient
public import Foundation
import KeepCore
public import KeepProtocol
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOSSL

/// The sync protocol over HTTPS with AsyncHTTPClient, trusting only what the laptop was told to trust.
public final class HTTPSTransport: SyncTransport {
    public let server: URL
    /// The device token; nil only to enroll, the one call made without one.
    private let token: String?
    private let client: HTTPClient
    private let timeout: TimeAmount = .seconds(60)

    public init(server: URL, token: String?, trust: ServerTrust) throws {
        self.server = server
        self.token = token
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        switch trust {
        case .pinned(let certificatePEM):
            // Pinning: the certificate seen at login is the only root trusted; its name is not checked because a
            // self-signed certificate is known by its fingerprint, not by a name.
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)))
            tls.certificateVerification = .noHostnameVerification
        case .certificateAuthority(let file):
            tls.trustRoots = .file(file)
            tls.certificateVerification = .fullVerification
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
        // A server that refuses the connection is down or unreachable: say so now rather than retrying for the whole
        // connect timeout. A sync is safe to run again, and the person is waiting.
        configuration.connectionPool.retryConnectionEstablishment = false
        // Pull pages of notes compress several times over; the limit stops a hostile answer from expanding without bound.
        configuration.decompression = .enabled(limit: .size(SyncService.limits.maxBodyBytes * 4))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the connections; call once done.
    public func shutdown() async {
        try? await client.shutdown()
    }

    public func hello() async throws -> HelloResponse {
        try await send(.GET, "v1/hello", body: nil)
    }

    public func push(_ request: PushRequest) async throws -> PushResponse {
        try await send(.POST, "v1/push", body: try JSONEncoder().encode(request))
    }

    /// `POST /v1/enroll`: trades an operator's enrollment code for this laptop's device token.
    public func enroll(code: String) async throws -> EnrollResponse {
        try await send(.POST, "v1/enroll", body: try JSONEncoder().encode(EnrollRequest(code: code)))
    }

    public func pull(cursor: String?, limit: Int) async throws -> PullResponse {
        var components = URLComponents()
        components.queryItems = [URLQueryItem(name: "limit", value: String(limit))]
        if let cursor { components.queryItems?.append(URLQueryItem(name: "cursor", value: cursor)) }
        return try await send(.GET, "v1/pull?" + (components.percentEncodedQuery ?? ""), body: nil)
    }

    private func send<Response: Decodable>(_ method: HTTPMethod, _ path: String, body: Data?) async throws -> Response {
        let url = server.absoluteString.trimmingSuffix("/") + "/" + path
        let request = ProtocolRequest.make(method, url: url, token: token, body: body)
        let response = try await client.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: SyncService.limits.maxBodyBytes * 4)
        let data = Data(bytes.readableBytesView)
        guard (200..<300).contains(response.status.code) else {
            if let error = try? JSONDecoder().decode(ErrorBody.self, from: data) {
                throw SyncError(code: SyncError.Code(rawValue: error.error), message: error.message)
            }
            throw SyncError.internalError("the server answered \(response.status.code) without an explanation: try again later")
        }
        do {
            return try WireJSON.decode(Response.self, from: data)
        } catch {
            throw SyncError.internalError("the server's answer could not be read (\(error)): check that \(server) is a Keepword server")
        }
    }
}

/// How a laptop trusts the sync server's certificate.
public enum ServerTrust: Sendable {
    /// Only this certificate (PEM), pinned at login.
    case pinned(String)
    /// Certificates issued by the CAs in this PEM file, for servers with real certificates.
    case certificateAuthority(String)
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
