import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// Fetches a server's TLS certificate without trusting it, so that the laptop can pin it on first contact
/// (as ssh does with host keys) or check it against a fingerprint given out of band.
///
/// What is pinned is the last certificate the server presents: a keep-server's own authority, which signs the leaf
/// it serves and every leaf it renews later, so the pin outlives renewals; an earlier keep-server presents one
/// self-signed certificate, which is then both.
public enum CertificateProbe {
    /// The certificate a server presents last in its chain, the one a laptop pins.
    public struct Seen: Sendable {
        public let pem: String
        /// SHA-256 of the certificate's DER bytes, lowercase hex without separators.
        public let fingerprint: String
    }

    public static func fetch(host: String, port: Int) async throws -> Seen {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        // Nothing is trusted or sent here: the chain is only read, then judged by its fingerprint. (A verification
        // callback is the one place NIOSSL shows the whole chain; it accepts anything, and nothing is sent after it.)
        tls.certificateVerification = .noHostnameVerification
        let context = try NIOSSLContext(configuration: tls)
        let serverName = isIPAddress(host) ? nil : host
        let group = MultiThreadedEventLoopGroup.singleton
        let handshake = group.any().makePromise(of: Void.self)
        let presented = NIOLockedValueBox<[NIOSSLCertificate]>([])
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(10))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = try NIOSSLClientHandler(context: context, serverHostname: serverName) { chain, verified in
                            presented.withLockedValue { $0 = chain }
                            verified.succeed(.certificateVerified)
                        }
                        try channel.pipeline.syncOperations.addHandler(handler)
                        try channel.pipeline.syncOperations.addHandler(HandshakeWaiter(done: handshake))
                    }
                }
                .connect(host: host, port: port)
                .get()
        } catch {
            handshake.fail(error)
            throw error
        }
        defer { channel.close(promise: nil) }
        try await handshake.futureResult.get()
        guard let certificate = presented.withLockedValue({ $0.last }) else {
            throw ProbeError(message: "the server at \(host):\(port) presented no certificate")
        }
        let der = try certificate.toDERBytes()
        let pem =
            "-----BEGIN CERTIFICATE-----\n" + Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
            + "\n-----END CERTIFICATE-----\n"
        return Seen(pem: pem, fingerprint: fingerprint(der))
    }

    static func fingerprint(_ der: [UInt8]) -> String {
        SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined()
    }

    /// A fingerprint as people paste it: with or without colons, in any case.
    public static func normalize(_ fingerprint: String) -> String {
        fingerprint.lowercased().filter { $0.isHexDigit }
    }

    struct ProbeError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

/// Whether `host` is an IP literal, which must not be sent as the TLS server name.
private func isIPAddress(_ host: String) -> Bool {
    host.contains(":") || host.split(separator: ".").count == 4 && host.split(separator: ".").allSatisfy { UInt8($0) != nil }
}

/// Resolves its promise when the TLS handshake is done, or fails it when the connection ends first.
private final class HandshakeWaiter: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    private let done: EventLoopPromise<Void>

    init(done: EventLoopPromise<Void>) {
        self.done = done
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent { done.succeed() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(CertificateProbe.ProbeError(message: "the connection closed before the TLS handshake finished"))
        context.fireChannelInactive()
    }
}
