import Foundation
public import KeepTenancy

/// The files of the server's own certificate in `<data>/tls/`, and the steps that write them so that a crash
/// between two of them leaves something the next start repairs.
struct OwnCertificateFiles {
    let folder: String

    var certificate: String { folder + "/cert.pem" }
    var key: String { folder + "/key.pem" }
    var authority: String { folder + "/ca.pem" }
    var authorityKey: String { folder + "/ca-key.pem" }

    var hasAuthority: Bool {
        FileManager.default.fileExists(atPath: authority) && FileManager.default.fileExists(atPath: authorityKey)
    }

    /// Makes the authority unless there is one: its key first, so that an authority without a key never exists.
    func makeAuthorityIfMissing(now: Date) throws(KeepServerError) {
        guard !hasAuthority else { return }
        try createFolder()
        for path in [authority, authorityKey] { try? FileManager.default.removeItem(atPath: path) }
        let made: (certificatePEM: String, keyPEM: String)
        do {
            made = try SelfSignedCertificate.makeAuthority(now: now)
        } catch {
            throw KeepServerError(.cannotCreate(path: authority, detail: "\(error)"))
        }
        try ServerCertificate.writeNewFile(made.keyPEM, to: authorityKey, mode: 0o600)
        try ServerCertificate.writeNewFile(made.certificatePEM, to: authority, mode: 0o644)
    }

    /// Issues a new leaf for `host` and puts it in place: both new files are written whole, then renamed over the
    /// old ones, the key first; a crash between the renames leaves a key that does not match, which the next start
    /// replaces with another leaf.
    func issueLeaf(host: String, now: Date) throws(KeepServerError) {
        let made: (certificatePEM: String, keyPEM: String)
        let authorityPEM: String
        do {
            authorityPEM = try String(contentsOfFile: authority, encoding: .utf8)
            made = try SelfSignedCertificate.makeLeaf(
                host: host,
                authorityPEM: authorityPEM,
                authorityKeyPEM: try String(contentsOfFile: authorityKey, encoding: .utf8),
                now: now
            )
        } catch {
            throw KeepServerError(.cannotCreate(path: certificate, detail: "\(error)"))
        }
        for path in [key + ".new", certificate + ".new"] { try? FileManager.default.removeItem(atPath: path) }
        try ServerCertificate.writeNewFile(made.keyPEM, to: key + ".new", mode: 0o600)
        let chain = [made.certificatePEM, authorityPEM].map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined()
        try ServerCertificate.writeNewFile(chain, to: certificate + ".new", mode: 0o644)
        for path in [key, certificate] where rename(path + ".new", path) != 0 {
            throw KeepServerError(.cannotCreate(path: path, detail: String(cString: strerror(errno))))
        }
    }

    /// When the leaf in `cert.pem` stops being valid.
    func leafEnds() throws -> Date {
        let text = try String(contentsOfFile: certificate, encoding: .utf8)
        let end = "-----END CERTIFICATE-----"
        guard let range = text.range(of: end) else { throw CocoaError(.fileReadCorruptFile) }
        return try SelfSignedCertificate.notValidAfter(String(text[..<range.upperBound]))
    }

    /// Moves an earlier keep-server's single certificate and key into `old-<time>/`, kept for the operator.
    func retireEarlierCertificate(now: Date) throws(KeepServerError) {
        let old = folder + "/old-\(Int(now.timeIntervalSince1970))"
        do {
            try FileManager.default.createDirectory(atPath: old, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for path in [certificate, key] where FileManager.default.fileExists(atPath: path) {
                try FileManager.default.moveItem(atPath: path, toPath: old + "/" + (path as NSString).lastPathComponent)
            }
        } catch {
            throw KeepServerError(.cannotCreate(path: old, detail: "\(error)"))
        }
    }

    private func createFolder() throws(KeepServerError) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw KeepServerError(.cannotCreate(path: folder, detail: "\(error)"))
        }
    }
}
