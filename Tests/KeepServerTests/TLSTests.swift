import AsyncHTTPClient
import Foundation
import KeepServer
import KeepTenancy
import KeepTestSupport
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

@Suite("TLS")
struct TLSTests {
    /// GETs `/healthz` at `url` with `tls`, returning the status.
    ///
    /// A refused handshake makes the client retry until the deadline, so calls expected to fail pass a short one.
    private static func healthz(_ url: String, tls: TLSConfiguration, deadline: TimeAmount = .seconds(120)) async throws -> Int {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        let result = await Result(catching: {
            let response = try await client.execute(HTTPClientRequest(url: url + "/healthz"), timeout: deadline)
            return Int(response.status.code)
        })
        try await client.shutdown()
        return try result.get()
    }

    /// What `keep login` does with a fingerprint it pinned: trust only that certificate.
    private static func pinned(_ certificatePath: String, hostname: Bool) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificatePath))
        tls.certificateVerification = hostname ? .fullVerification : .noHostnameVerification
        return tls
    }

    @Test("the self-signed certificate is made once, kept with a private key file, and verifies for localhost and 127.0.0.1")
    func selfSigned() async throws {
        let folder = TemporaryFolder()
        let configuration = ServerConfiguration(dataRoot: folder.dataRoot, port: 0)
        let certificatePath = folder.dataRoot.tlsFolder + "/cert.pem"
        let first = try await withRunningServer(configuration) { address in
            #expect(address.announcement.wholeMatch(of: /listening on https:\/\/127\.0\.0\.1:[0-9]+ sha256=[0-9a-f]{64}/) != nil)
            let strict = try Self.pinned(certificatePath, hostname: true)
            #expect(try await Self.healthz(address.url, tls: strict) == 200)
            #expect(try await Self.healthz("https://localhost:\(address.port)", tls: strict) == 200)
            return address.fingerprint
        }
        let keyMode = try FileManager.default.attributesOfItem(atPath: folder.dataRoot.tlsFolder + "/key.pem")[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
        let der = try NIOSSLCertificate.fromPEMFile(certificatePath)[0].toDERBytes()
        #expect(first == SHA256Hex.of(der))

        let second = try await withRunningServer(configuration) { $0.fingerprint }
        #expect(second == first)
    }

    @Test("the certificate also names the --host it serves")
    func namesTheHost() async throws {
        let folder = TemporaryFolder()
        let configuration = ServerConfiguration(dataRoot: folder.dataRoot, host: "127.0.0.2", port: 0)
        try await withRunningServer(configuration) { address in
            #expect(address.url.hasPrefix("https://127.0.0.2:"))
            let strict = try Self.pinned(folder.dataRoot.tlsFolder + "/cert.pem", hostname: true)
            #expect(try await Self.healthz(address.url, tls: strict) == 200)
        }
    }

    @Test("a pinned client refuses a server with another certificate")
    func pinningRefusesAnotherCertificate() async throws {
        let other = TemporaryFolder()
        _ = try ServerCertificate.selfSigned(in: other.path + "/tls", host: "127.0.0.1")
        let folder = TemporaryFolder()
        try await withRunningServer(ServerConfiguration(dataRoot: folder.dataRoot, port: 0)) { address in
            let wrongPin = try Self.pinned(other.path + "/tls/cert.pem", hostname: false)
            await #expect(throws: (any Error).self) { try await Self.healthz(address.url, tls: wrongPin, deadline: .seconds(2)) }
        }
    }

    @Test("TLS 1.1 and older are refused")
    func minimumVersion() async throws {
        let folder = TemporaryFolder()
        try await withRunningServer(ServerConfiguration(dataRoot: folder.dataRoot, port: 0)) { address in
            var old = TLSConfiguration.makeClientConfiguration()
            old.certificateVerification = .none
            old.maximumTLSVersion = .tlsv11
            await #expect(throws: (any Error).self) { try await Self.healthz(address.url, tls: old, deadline: .seconds(2)) }
            var current = old
            current.maximumTLSVersion = .tlsv12
            let status = try await Self.healthz(address.url, tls: current)
            #expect(status == 200)
        }
    }

    @Test("TLS 1.2 offers only forward-secret AEAD suites: a client that offers only CBC suites is refused")
    func noCBCSuites() async throws {
        let folder = TemporaryFolder()
        try await withRunningServer(ServerConfiguration(dataRoot: folder.dataRoot, port: 0)) { address in
            var cbc = TLSConfiguration.makeClientConfiguration()
            cbc.certificateVerification = .none
            cbc.maximumTLSVersion = .tlsv12
            cbc.cipherSuiteValues = [.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, .TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA]
            await #expect(throws: (any Error).self) { try await Self.healthz(address.url, tls: cbc, deadline: .seconds(5)) }
            var gcm = cbc
            gcm.cipherSuiteValues = [.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]
            let status = try await Self.healthz(address.url, tls: gcm)
            #expect(status == 200)
        }
    }

    @Test("--tls-cert and --tls-key are presented as given; a wrong or missing file is refused before anything is made")
    func givenCertificate() async throws {
        let given = TemporaryFolder()
        let made = try ServerCertificate.selfSigned(in: given.path, host: "127.0.0.1")
        let folder = TemporaryFolder()
        let configuration = ServerConfiguration(
            dataRoot: folder.dataRoot,
            port: 0,
            certificate: .files(certificate: given.path + "/cert.pem", key: given.path + "/key.pem")
        )
        let fingerprint = try await withRunningServer(configuration) { $0.fingerprint }
        #expect(fingerprint == made.fingerprint)
        #expect(!FileManager.default.fileExists(atPath: folder.dataRoot.tlsFolder))

        let otherKey = TemporaryFolder()
        _ = try ServerCertificate.selfSigned(in: otherKey.path, host: "127.0.0.1")
        let empty = TemporaryFolder()
        for (certificate, key) in [
            (given.path + "/cert.pem", otherKey.path + "/key.pem"),
            (given.path + "/missing.pem", given.path + "/key.pem"),
            (given.path + "/key.pem", given.path + "/key.pem"),
        ] {
            let wrong = ServerConfiguration(dataRoot: empty.dataRoot, port: 0, certificate: .files(certificate: certificate, key: key))
            #expect(throws: KeepServerError.self) { _ = try buildApplication(wrong, logger: .quiet) }
        }
        #expect(!FileManager.default.fileExists(atPath: empty.dataRoot.path))
    }
}
