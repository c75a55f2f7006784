import Crypto
import Foundation
public import KeepTenancy
public import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The certificate and key the server presents, and the fingerprint laptops pin.
public struct ServerCertificate: Sendable {
    /// The certificate chain, leaf first.
    public let chain: [NIOSSLCertificate]
    let key: NIOSSLPrivateKey
    /// SHA-256 of the leaf certificate's DER, lowercase hex without colons.
    public let fingerprint: String

    private init(chain: [NIOSSLCertificate], key: NIOSSLPrivateKey) throws {
        self.chain = chain
        self.key = key
        self.fingerprint = SHA256.hash(data: try chain[0].toDERBytes()).map { String(format: "%02x", $0) }.joined()
    }

    /// The server's TLS settings: this certificate, TLS 1.2 or newer.
    public var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuiteValues = Self.intermediateCipherSuites
        return configuration
    }

    /// TLS 1.2's suites of Mozilla's "intermediate" profile, in its order: forward secret and authenticated
    /// encryption only, so no CBC suite (which testssl flags for LUCKY13). TLS 1.3's suites are all of that kind.
    static let intermediateCipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    /// Loads a certificate chain and its key from PEM files (`--tls-cert`, `--tls-key`).
    public static func load(certificatePath: String, keyPath: String) throws(KeepServerError) -> ServerCertificate {
        for (path, option) in [(certificatePath, "--tls-cert"), (keyPath, "--tls-key")] where !FileManager.default.isReadableFile(atPath: path) {
            throw KeepServerError(.missingFile(path: path, option: option))
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw KeepServerError(.badCertificate(path: certificatePath, detail: "\(error)"))
        }
        guard !chain.isEmpty else { throw KeepServerError(.badCertificate(path: certificatePath, detail: "no certificate found")) }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw KeepServerError(.badKey(path: keyPath, detail: "\(error)"))
        }
        let certificate: ServerCertificate
        do {
            certificate = try ServerCertificate(chain: chain, key: key)
        } catch {
            throw KeepServerError(.badCertificate(path: certificatePath, detail: "\(error)"))
        }
        // Building a TLS context checks that the key belongs to the certificate, now rather than at the first client.
        do {
            _ = try NIOSSLContext(configuration: certificate.tlsConfiguration)
        } catch {
            throw KeepServerError(.keyMismatch(certificate: certificatePath, key: keyPath))
        }
        return certificate
    }

    /// The self-signed certificate kept in `folder` (`cert.pem`, `key.pem`), made on first start for `host`.
    public static func selfSigned(in folder: String, host: String) throws(KeepServerError) -> ServerCertificate {
        let certificatePath = folder + "/cert.pem"
        let keyPath = folder + "/key.pem"
        let fileManager = FileManager.default
        switch (fileManager.fileExists(atPath: certificatePath), fileManager.fileExists(atPath: keyPath)) {
        case (true, true):
            break
        case (false, false):
            try create(certificatePath: certificatePath, keyPath: keyPath, folder: folder, host: host)
        case (false, true):
            // A crash between writing the key and the certificate: no laptop has seen this key, so start over.
            try? fileManager.removeItem(atPath: keyPath)
            try create(certificatePath: certificatePath, keyPath: keyPath, folder: folder, host: host)
        case (true, false):
            throw KeepServerError(.halfSelfSigned(folder: folder))
        }
        return try load(certificatePath: certificatePath, keyPath: keyPath)
    }

    private static func create(certificatePath: String, keyPath: String, folder: String, host: String) throws(KeepServerError) {
        let pems: (certificatePEM: String, keyPEM: String)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            pems = try SelfSignedCertificate.make(host: host)
        } catch {
            throw KeepServerError(.cannotCreate(path: folder, detail: "\(error)"))
        }
        // The key first: a crash in between leaves a key without a certificate, which the next start replaces.
        try writeNewFile(pems.keyPEM, to: keyPath, mode: 0o600)
        try writeNewFile(pems.certificatePEM, to: certificatePath, mode: 0o644)
    }

    /// Writes a new file created with `mode` from the start, so the key is never readable by others, even briefly.
    private static func writeNewFile(_ text: String, to path: String, mode: mode_t) throws(KeepServerError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else { throw KeepServerError(.cannotCreate(path: path, detail: String(cString: strerror(errno)))) }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            throw KeepServerError(.cannotCreate(path: path, detail: String(cString: strerror(errno))))
        }
    }
}
