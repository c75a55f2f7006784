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
            The token is kept in a file beside the store that only you can read; logging in again without either \
            (after the server's certificate changed, say) uses it.
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
        guard token == nil || enroll == nil else {
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
        let (previousServer, previousPin, knownShop) = try session.store.snapshot { store in
            (try store.setting(.syncServer), try store.setting(.syncPin), try store.setting(.serverShop))
        }
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
                    "cannot reach the server: "
                        + (NetworkProblem.describe(error, host: host, port: port)
                            ?? "\(server.absoluteString) (\(error)): check the address and your network"),
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
        // A code is used up once redeemed: its token must not be lost if this login fails from here on.
        var unsavedToken: String?
        if let given = self.token {
            token = given
        } else if enroll == nil {
            guard FileManager.default.fileExists(atPath: Credentials.path(forStore: session.store.path)) else {
                throw KeepError(
                    "this book has no device token yet: log in with --enroll CODE (from `keep-server device enroll`) or --token TOKEN",
                    status: .usage
                )
            }
            token = try Credentials.load(forStore: session.store.path)
        } else {
            token = try await Self.redeem(enroll ?? "", at: server, trust: trust)
            if knownShop.isEmpty {
                // A book that never synced may join any shop: keep the token at once.
                try Credentials.save(token, forStore: session.store.path)
            } else {
                unsavedToken = token
            }
        }
        let transport = try HTTPSTransport(server: server, token: token, trust: trust)
        let hello: HelloResponse
        do {
            hello = try await transport.hello()
        } catch {
            await transport.shutdown()
            let failure = SyncFailure.describe(error, server: server)
            guard let unsavedToken else { throw failure }
            throw KeepError(failure.message + "; the code is used up: log in again with --token \(unsavedToken)", status: failure.status)
        }
        await transport.shutdown()
        try Self.checkShop(of: hello, known: knownShop, server: server, unsavedToken: unsavedToken)
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

    /// Refuses a server that answers as another shop than the one this book synced with (Sync/PROTOCOL.md §5.1):
    /// logging the book in there would send one shop's customers to another.
    static func checkShop(of hello: HelloResponse, known: String, server: URL, unsavedToken: String?) throws {
        guard let shop = hello.shop, !known.isEmpty, UUID(uuidString: known) != shop else { return }
        let token = unsavedToken ?? "TOKEN"
        let book = hello.tenant + ".sqlite"
        throw KeepError(
            "this book belongs to another shop than \"\(hello.tenant)\" (it synced with shop \(known), not \(shop)): nothing was changed. "
                + "To keep a book for \"\(hello.tenant)\", start a new one: keep init --store \(book), then "
                + "keep login \(server.absoluteString) --store \(book) --token \(token)"
                + (unsavedToken == nil ? "" : " (the code is used up; that is its token)"),
            status: .dataError
        )
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
