/// Where a started server listens, and the fingerprint of the certificate it presents.
public struct ListeningAddress: Sendable, Hashable {
    public let host: String
    public let port: Int
    /// SHA-256 of the certificate's DER, lowercase hex without colons: what laptops pin.
    public let fingerprint: String

    /// `https://HOST:PORT`, with an IPv6 address in brackets.
    public var url: String {
        let host = self.host.contains(":") && !self.host.hasPrefix("[") ? "[\(self.host)]" : self.host
        return "https://\(host):\(port)"
    }

    /// The line `keep-server serve` prints once listening: `listening on https://HOST:PORT sha256=HEX`.
    public var announcement: String { "listening on \(url) sha256=\(fingerprint)" }
}
