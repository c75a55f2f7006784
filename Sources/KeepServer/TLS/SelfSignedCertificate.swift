import Crypto
import Foundation
// X509's DER and PEM encoding lives in SwiftASN1, which swift-certificates depends on.
import SwiftASN1
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The certificates `keep-server` makes for itself when it is given none: a small authority of its own, which
/// laptops pin, and the leaf it presents, which that authority signs.
///
/// The authority (P-256, CN "keep-server pin", a CA for leaves only, valid 20 years) never leaves `<data>/tls/`
/// and signs nothing but the server's own leaves. The leaf (P-256, CN "keep-server", not a CA, for serving TLS
/// only, for localhost, 127.0.0.1, ::1 and the host it serves) is valid one year and is renewed by the server
/// itself when a month is left, or by `keep-server tls rotate`: laptops trust each new leaf through the pin they
/// already hold, so a renewal asks nothing of them.
enum SelfSignedCertificate {
    static let commonName = "keep-server"
    static let authorityName = "keep-server pin"
    static let authorityValidity: TimeInterval = 20 * 365.25 * 24 * 60 * 60
    static let leafValidity: TimeInterval = 365 * 24 * 60 * 60
    /// How long before its end a leaf is renewed when the server starts.
    static let renewal: TimeInterval = 30 * 24 * 60 * 60

    /// A new authority and its private key, both in PEM.
    static func makeAuthority(now: Date = Date()) throws -> (certificatePEM: String, keyPEM: String) {
        let key = P256.Signing.PrivateKey()
        let certificateKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName { CommonName(authorityName) }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: certificateKey.publicKey)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: certificateKey.publicKey,
            // A little slack for a laptop whose clock runs behind.
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(authorityValidity),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: certificateKey
        )
        return (try certificate.serializeAsPEM().pemString, key.pemRepresentation)
    }

    /// A new leaf for `host` signed by the authority, and its private key, both in PEM.
    static func makeLeaf(
        host: String,
        authorityPEM: String,
        authorityKeyPEM: String,
        now: Date = Date()
    ) throws -> (certificatePEM: String, keyPEM: String) {
        let authority = try Certificate(pemEncoded: authorityPEM)
        let authorityKey = Certificate.PrivateKey(try P256.Signing.PrivateKey(pemRepresentation: authorityKeyPEM))
        let key = P256.Signing.PrivateKey()
        let certificateKey = Certificate.PrivateKey(key)
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectKeyIdentifier(hash: certificateKey.publicKey)
            subjectAlternativeNames(host: host)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: certificateKey.publicKey,
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: min(now.addingTimeInterval(leafValidity), authority.notValidAfter),
            issuer: authority.subject,
            subject: try DistinguishedName { CommonName(commonName) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: authorityKey
        )
        return (try certificate.serializeAsPEM().pemString, key.pemRepresentation)
    }

    /// When the first certificate in `pem` stops being valid.
    static func notValidAfter(_ pem: String) throws -> Date {
        try Certificate(pemEncoded: pem).notValidAfter
    }

    /// The names a certificate for `host` is for: localhost, 127.0.0.1, ::1, and `host` as a name or an address.
    static func subjectAlternativeNames(host: String) -> SubjectAlternativeNames {
        var dnsNames = ["localhost"]
        var addresses: [[UInt8]] = [[127, 0, 0, 1], [UInt8](repeating: 0, count: 15) + [1]]
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if let address = ipAddress(bare) {
            // A wildcard address is where the server listens, not a name clients use.
            if !addresses.contains(address), address.contains(where: { $0 != 0 }) { addresses.append(address) }
        } else if !bare.isEmpty, !dnsNames.contains(bare.lowercased()) {
            dnsNames.append(bare.lowercased())
        }
        return SubjectAlternativeNames(
            dnsNames.map { GeneralName.dnsName($0) } + addresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: ArraySlice($0))) }
        )
    }

    /// The bytes of an IPv4 or IPv6 literal, or nil for a host name.
    static func ipAddress(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
