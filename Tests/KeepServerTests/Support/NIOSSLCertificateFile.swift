import NIOSSL

/// Reads a certificate's DER from a PEM file.
enum NIOSSLCertificateFile {
    static func der(_ path: String) throws -> [UInt8] {
        try NIOSSLCertificate.fromPEMFile(path)[0].toDERBytes()
    }
}
