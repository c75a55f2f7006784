import ArgumentParser
import Foundation
import KeepCore
import KeepProtocol
import KeepStore
import KeepSyncClient

/// `keep login`: connects this laptop's store to the shop's sync server.
struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Connect this laptop to the shop's sync server.",
        discussion: """
            Without --ca-file, keep pins the server's certificate on first contact and prints its fingerprint \
            (compare it with the one the server's operator gave you); it then refuses to sync if the certificate \
            changes, as ssh does with host keys. --pin checks a fingerprint given out of band instead. \
            Log in with the short code from `keep-server device enroll` (--enroll), or with a device token (--token). \
            The token is kept in a file beside the store that only you can read.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The server's address, e.g. https://sync.example.com:8443.")
    var url: String

    @Option(help: "The device token the server's operator gave you (shown once by `keep-server device add`).")
    var token: String?

    @Option(help: ArgumentHelp("The enrollment code the server's operator gave you (from `keep-server device enroll`).", valueName: "code"))
    var enroll: String?

    @Option(help: ArgumentHelp("Trust certificates issued by the CAs in this PEM file (a server with a real certificate).", valueName: "file"))
    var caFile: String?

    @Option(help: ArgumentHelp("The server certificate's SHA-256 fingerprint, given to you out of band.", valueName: "sha256"))
    var pin: String?

    func validate() throws {
        if caFile != nil && pin != nil { throw ValidationError("--ca-file and --pin are two ways to trust the server: give one") }
        guard (token == nil) != (enroll == nil) else {
            throw ValidationError("log in with --enroll CODE (from `keep-server device enroll`) or with --token TOKEN: give one")
        }
        if let token, !token.hasPrefix("kw1_") || token.count >= 200 || token.contains(where: \.isWhitespace) {
            throw ValidationError("\"\(token.prefix(12))…\" is not a device token: copy the whole token printed by `keep-server device add`")
        }
        if let enroll, enroll.count > 32 || enroll.filter({ $0.isLetter || $0.isNumber }).count != 10 {
            throw ValidationError("\"\(enroll.prefix(32))\" is not an enrollment code: it has ten letters and digits, like 7KQ2M-XD9PH")
        }
        if let pin, CertificateProbe.normalize(pin).count != 64 {
            throw ValidationError("--pin takes a SHA-256 fingerprint: 64 hex digits, with or without colons")
        }
    }

    func run() async throws {
        let server = try Self.serverURL(url)
        let session = try Session.open(global)
        let (previousServer, previousPin) = try session.store.snapshot { store in (try store.setting(.syncServer), try store.setting(.syncPin)) }
        let host = server.host ?? ""
        let port = server.port ?? 443
        let trust: ServerTrust
        var fingerprint = ""
        var pinnedPEM = ""
        if let caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw KeepError("cannot read the CA file \(caFile): check the path", status: .noInput)
            }
            trust = .certificateAuthority(caFile)
        } else {
            let seen: CertificateProbe.Seen
            do {
                seen = try await CertificateProbe.fetch(host: host, port: port)
            } catch {
                throw KeepError(
                    "cannot reach the server at \(server.absoluteString) (\(error)): check the address and your network",
                    status: .unavailable
                )
            }
            fingerprint = seen.fingerprint
            if let pin, CertificateProbe.normalize(pin) != seen.fingerprint {
                throw KeepError(
                    "the server's certificate has fingerprint \(seen.fingerprint), not the \(CertificateProbe.normalize(pin)) you were given: do not log in; ask the server's operator",
                    status: .dataError
                )
            }
            if pin == nil, previousServer == server.absoluteString, !previousPin.isEmpty, previousPin != seen.fingerprint {
                throw KeepError(
                    "the server's certificate changed since you logged in (was \(previousPin), now \(seen.fingerprint)): if the operator confirms the new one, log in again with --pin \(seen.fingerprint)",
                    status: .dataError
                )
            }
            trust = .pinned(seen.pem)
            pinnedPEM = seen.pem
        }
        let token: String
        if let given = self.token {
            token = given
        } else {
            token = try await Self.redeem(enroll ?? "", at: server, trust: trust)
            // The code is used up: keep the token at once, so that a failure from here on does not lose it.
            try Credentials.save(token, forStore: session.store.path)
        }
        let transport = try HTTPSTransport(server: server, token: token, trust: trust)
        let hello: HelloResponse
        do {
            hello = try await transport.hello()
        } catch {
            await transport.shutdown()
            throw SyncFailure.describe(error, server: server)
        }
        await transport.shutdown()
        var settings: [StoreSetting: String] = [
            .syncServer: server.absoluteString, .syncPin: fingerprint, .syncCertificate: pinnedPEM,
            .syncCAFile: caFile.map { StoreLocation.resolve(explicit: $0) } ?? "",
        ]
        // Another server's changes start from its beginning.
        if previousServer != server.absoluteString { settings[.syncCursor] = "" }
        try session.store.set(settings)
        try Credentials.save(token, forStore: session.store.path)
        if !fingerprint.isEmpty { print("Server certificate sha256 \(fingerprint) (pinned: keep will refuse to sync if it changes)") }
        print("Logged in to shop \(hello.tenant) as device \(hello.device). Next: keep sync")
    }

    /// Trades an enrollment code for this laptop's device token.
    static func redeem(_ code: String, at server: URL, trust: ServerTrust) async throws -> String {
        let transport = try HTTPSTransport(server: server, token: nil, trust: trust)
        do {
            let enrolled = try await transport.enroll(code: code)
            await transport.shutdown()
            return enrolled.token
        } catch {
            await transport.shutdown()
            throw SyncFailure.describe(error, server: server)
        }
    }

    static func serverURL(_ text: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), url.host?.isEmpty == false else {
            throw KeepError("\"\(text)\" is not a server address: use the form https://host:port", status: .usage)
        }
        guard scheme == "https" else {
            throw KeepError("\(text) is not HTTPS: Keepword syncs only over TLS; use https://", status: .usage)
        }
        return url
    }
}
