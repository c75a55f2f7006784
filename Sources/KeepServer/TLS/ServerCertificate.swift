import Crypto
public import Foundation
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
    /// SHA-256 of the DER of the chain's last certificate, lowercase hex without colons: what laptops pin. For the
    /// server's own certificates that is its authority, so that a renewed leaf keeps the pin.
    public let fingerprint: String

    private init(chain: [NIOSSLCertificate], key: NIOSSLPrivateKey) throws {
        self.chain = chain
        self.key = key
        self.fingerprint = SHA256.hash(data: try chain[chain.count - 1].toDERBytes()).map { String(format: "%02x", $0) }.joined()
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

    /// The server's own certificate, kept in `folder`, made on first start for `host`: `ca.pem` and `ca-key.pem`
    /// (the authority laptops pin), `cert.pem` (the leaf and the authority) and `key.pem` (the leaf's key).
    ///
    /// A leaf within a month of its end is renewed here, at start, signed by the same authority. A folder made by
    /// an earlier keep-server holds one self-signed certificate and no authority: it is served as it is, since its
    /// laptops pinned it, until `keep-server tls rotate` moves it to an authority.
    public static func selfSigned(in folder: String, host: String, now: Date = Date()) throws(KeepServerError) -> ServerCertificate {
        let files = OwnCertificateFiles(folder: folder)
        let manager = FileManager.default
        switch (manager.fileExists(atPath: files.certificate), manager.fileExists(atPath: files.key)) {
        case (true, false):
            throw KeepServerError(.halfSelfSigned(folder: folder))
        case (false, _):
            // No certificate yet, or a crash before it was written: no laptop has seen this key, so start over.
            try? manager.removeItem(atPath: files.key)
            try files.makeAuthorityIfMissing(now: now)
            try files.issueLeaf(host: host, now: now)
        case (true, true):
            if files.hasAuthority, (try? files.leafEnds()).map({ $0.timeIntervalSince(now) < SelfSignedCertificate.renewal }) ?? true {
                try files.issueLeaf(host: host, now: now)
            }
        }
        do {
            return try load(certificatePath: files.certificate, keyPath: files.key)
        } catch  where files.hasAuthority {
            // A crash between the leaf's key and its certificate: issue another, under the same pin.
            try files.issueLeaf(host: host, now: now)
            return try load(certificatePath: files.certificate, keyPath: files.key)
        }
    }

    /// Makes the server a new leaf now (`keep-server tls rotate`). With an authority, laptops keep their pin; an
    /// earlier keep-server's single certificate is moved to `old-<time>/` and an authority is made, which laptops
    /// pin anew (`keep login URL --token TOKEN --pin FINGERPRINT`).
    /// - Returns: the new certificate, when the leaf ends, and whether the pin laptops hold stays the same.
    public static func rotate(
        in folder: String,
        host: String,
        now: Date = Date()
    ) throws(KeepServerError) -> (
        certificate: ServerCertificate, validUntil: Date, pinKept: Bool
    ) {
        let files = OwnCertificateFiles(folder: folder)
        let pinKept = files.hasAuthority
        if !pinKept, FileManager.default.fileExists(atPath: files.certificate) {
            try files.retireEarlierCertificate(now: now)
        }
        try files.makeAuthorityIfMissing(now: now)
        try files.issueLeaf(host: host, now: now)
        let certificate = try load(certificatePath: files.certificate, keyPath: files.key)
        return (certificate, (try? files.leafEnds()) ?? now, pinKept)
    }

    /// Writes a new file created with `mode` from the start, so the key is never readable by others, even briefly.
    static func writeNewFile(_ text: String, to path: String, mode: mode_t) throws(KeepServerError) {
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
