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

/// The certificate `keep-server` makes for itself on first start when it is given none.
///
/// P-256, subject CN "keep-server", valid 10 years, for localhost, 127.0.0.1, ::1 and the host it serves.
/// It is its own issuer, so a laptop can pin it as the only root it trusts (what `keep login` does).
enum SelfSignedCertificate {
    static let commonName = "keep-server"
    static let validity: TimeInterval = 10 * 365.25 * 24 * 60 * 60

    /// A new certificate and its private key, both in PEM.
    static func make(host: String, now: Date = Date()) throws -> (certificatePEM: String, keyPEM: String) {
        let key = P256.Signing.PrivateKey()
        let certificateKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName { CommonName(commonName) }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectKeyIdentifier(hash: certificateKey.publicKey)
            subjectAlternativeNames(host: host)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: certificateKey.publicKey,
            // A little slack for a laptop whose clock runs behind.
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(validity),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: certificateKey
        )
        return (try certificate.serializeAsPEM().pemString, key.pemRepresentation)
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
