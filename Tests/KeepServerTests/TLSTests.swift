import AsyncHTTPClient
import Foundation
import KeepServer
import KeepTenancy
import KeepTestSupport
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import SwiftASN1
import Testing
import X509

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
        // Laptops pin the server's own authority, the chain's last certificate.
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        #expect(chain.count == 2)
        #expect(first == SHA256Hex.of(try chain[1].toDERBytes()))
        #expect(try chain[1] == NIOSSLCertificate.fromPEMFile(folder.dataRoot.tlsFolder + "/ca.pem")[0])

        let second = try await withRunningServer(configuration) { $0.fingerprint }
        #expect(second == first)
    }

    @Test("the leaf is no CA and serves a year; near its end the server renews it at start, and the pin stays")
    func theLeafIsRenewedUnderThePin() async throws {
        let folder = TemporaryFolder()
        let tls = folder.dataRoot.tlsFolder
        let made = try ServerCertificate.selfSigned(in: tls, host: "127.0.0.1")
        let leaf = try Certificate(
            pemEncoded: try String(contentsOfFile: tls + "/cert.pem", encoding: .utf8).components(separatedBy: "\n-----BEGIN")[0]
        )
        #expect(try leaf.extensions.basicConstraints == .notCertificateAuthority)
        #expect(try leaf.extensions.keyUsage?.keyCertSign != true)
        #expect(leaf.notValidAfter.timeIntervalSinceNow < 366 * 24 * 3600)
        let keyMode = try FileManager.default.attributesOfItem(atPath: tls + "/ca-key.pem")[.posixPermissions] as? Int
        #expect(keyMode == 0o600)

        // Eleven months and a half later, the next start renews the leaf under the same authority.
        let later = Date().addingTimeInterval(350 * 24 * 3600)
        let renewed = try ServerCertificate.selfSigned(in: tls, host: "127.0.0.1", now: later)
        #expect(renewed.fingerprint == made.fingerprint, "the pin laptops hold stays")
        #expect(try renewed.chain[0].toDERBytes() != made.chain[0].toDERBytes(), "a new leaf")
        // A start that is not near the end changes nothing.
        #expect(try ServerCertificate.selfSigned(in: tls, host: "127.0.0.1").chain[0].toDERBytes() == renewed.chain[0].toDERBytes())
    }

    @Test("keep-server tls rotate: a new leaf under the same pin; an earlier single certificate is kept aside and the new pin printed")
    func rotate() async throws {
        let folder = TemporaryFolder()
        let pin = try ServerCertificate.selfSigned(in: folder.dataRoot.tlsFolder, host: "127.0.0.1").fingerprint
        let kept = try await keepServer(["tls", "rotate", "--data", "data"], in: folder.path)
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(kept.stdout.contains("nothing to do on them") && kept.stdout.contains(pin), "\(kept.stdout)")

        // A folder as an earlier keep-server left it: one self-signed certificate that laptops pinned.
        let tls = folder.dataRoot.tlsFolder
        for name in ["ca.pem", "ca-key.pem"] { try FileManager.default.removeItem(atPath: tls + "/" + name) }
        let moved = try await keepServer(["tls", "rotate", "--data", "data"], in: folder.path)
        #expect(moved.status == 0, "\(moved.stderr)")
        let newPin = try ServerCertificate.selfSigned(in: tls, host: "127.0.0.1").fingerprint
        #expect(newPin != pin)
        #expect(moved.stdout.contains("keep login https://127.0.0.1:PORT --token TOKEN --pin \(newPin)"), "\(moved.stdout)")
        let old = try FileManager.default.contentsOfDirectory(atPath: tls).filter { $0.hasPrefix("old-") }
        #expect(old.count == 1)
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
