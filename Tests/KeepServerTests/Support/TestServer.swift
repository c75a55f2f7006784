import AsyncHTTPClient
import Foundation
import Hummingbird
import KeepCore
import KeepProtocol
import KeepTenancy
import KeepTestSupport
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

@testable import KeepServer

/// A real `keep-server` application on a free loopback port over TLS, with its own data root, and a client.
struct TestServer: Sendable {
    let dataRoot: DataRoot
    let address: ListeningAddress
    let client: HTTPClient

    var admin: Administration { Administration(dataRoot: dataRoot) }
    var url: String { address.url }

    /// Runs `body` against a fresh server over the data root in `folder` (a new one by default), then shuts the
    /// server down gracefully.
    static func run<T: Sendable>(
        in folder: TemporaryFolder = TemporaryFolder(),
        openTenantLimit: Int = 64,
        idleTimeout: Duration = .seconds(30),
        headerTimeout: Duration = .seconds(10),
        logger: Logger = .quiet,
        _ body: @Sendable (TestServer) async throws -> T
    ) async throws -> T {
        var configuration = ServerConfiguration(dataRoot: folder.dataRoot, host: "127.0.0.1", port: 0, openTenantLimit: openTenantLimit)
        configuration.idleTimeout = idleTimeout
        configuration.headerTimeout = headerTimeout
        return try await withRunningServer(configuration, logger: logger) { address in
            let client = HTTPClient.unverified()
            let result = await Result(catching: { try await body(TestServer(dataRoot: folder.dataRoot, address: address, client: client)) })
            try await client.shutdown()
            return try result.get()
        }
    }

    /// A client of a real `keep-server` process, for the tests that need the server's own process (its memory,
    /// its threads) apart from the test's.
    static func attached<T: Sendable>(to process: ServerProcess, _ body: @Sendable (TestServer) async throws -> T) async throws -> T {
        let server = TestServer(
            dataRoot: DataRoot(process.data),
            address: ListeningAddress(host: "127.0.0.1", port: process.port, fingerprint: process.fingerprint),
            client: HTTPClient.unverified()
        )
        let result = await Result(catching: { try await body(server) })
        try await server.client.shutdown()
        return try result.get()
    }

    // MARK: Shops and devices

    /// Creates a shop and returns it.
    @discardableResult
    func createTenant(_ slug: String) throws -> Tenant {
        try admin.createTenant(TenantSlug(slug)!)
    }

    /// Adds a device to a shop and returns its token.
    func addDevice(_ name: String, to slug: String) throws -> String {
        try admin.addDevice(named: name, to: TenantSlug(slug)!).token.text
    }

    // MARK: Requests

    /// Sends a request with the protocol headers (unless `versions` is nil) and returns its status and body.
    func send(
        _ method: HTTPMethod,
        _ path: String,
        token: String? = nil,
        body: ByteBuffer? = nil,
        versions: (protocol: String, schema: String)? = (String(ProtocolVersion.current), String(ProtocolVersion.schema)),
        headers extra: [(String, String)] = []
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: url + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let versions {
            request.headers.add(name: ProtocolVersion.protocolHeader, value: versions.protocol)
            request.headers.add(name: ProtocolVersion.schemaHeader, value: versions.schema)
        }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }
        // Against a hang only: on two busy cores an answer has taken 7 s.
        let response = try await client.execute(request, timeout: .seconds(120))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: Data(bytes.readableBytesView))
    }

    func hello(token: String) async throws -> HelloResponse {
        try await send(.GET, "/v1/hello", token: token).decode()
    }

    func push(_ request: PushRequest, token: String) async throws -> TestResponse {
        try await send(.POST, "/v1/push", token: token, body: ByteBuffer(bytes: try JSONEncoder().encode(request)))
    }

    func pull(token: String, cursor: String? = nil, limit: Int? = nil) async throws -> TestResponse {
        var query: [String] = []
        if let cursor { query.append("cursor=\(cursor)") }
        if let limit { query.append("limit=\(limit)") }
        return try await send(.GET, "/v1/pull" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")), token: token)
    }

    /// Every record the shop's server store holds, through the protocol.
    func pullAll(token: String) async throws -> [RecordState] {
        var records: [RecordState] = []
        var cursor: String?
        while true {
            let page: PullResponse = try await pull(token: token, cursor: cursor).decode()
            records += page.records
            cursor = page.cursor
            if !page.more { return records }
        }
    }
}

/// What the server answered.
struct TestResponse: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: Data

    /// The body as a success message; fails the test with the body otherwise.
    func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        guard (200..<300).contains(status) else { throw TestFailure("expected success, got \(status): \(text)") }
        return try JSONDecoder().decode(T.self, from: body)
    }

    /// The body as the error body every failure carries.
    func error() throws -> ErrorBody {
        guard headers.first(name: "Content-Type") == "application/json" else { throw TestFailure("error without JSON: \(status) \(text)") }
        return try JSONDecoder().decode(ErrorBody.self, from: body)
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

extension HTTPClient {
    /// A client that accepts the test server's self-signed certificate without checking it.
    static func unverified(connections: Int = 8) -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
