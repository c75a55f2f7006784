import ArgumentParser
import Foundation
import KeepServer
import KeepTenancy

/// `keep-server tls rotate`: the server's own certificate.
struct TLSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls",
        abstract: "Manage the server's own TLS certificate (when it runs without --tls-cert).",
        subcommands: [Rotate.self]
    )

    /// `keep-server tls rotate [--host HOST]`.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give the server a new certificate now, signed by its own authority, which laptops already trust.",
            discussion: """
                The server renews its certificate by itself when a month of it is left; run this to renew sooner (a key \
                that may have leaked). Laptops keep their pin: they trust the server's authority, which signs each new \
                certificate. A data folder made by a keep-server before the authority holds one certificate that laptops \
                pinned themselves: it is kept in DATA/tls/old-TIME/, an authority is made, and each laptop logs in again \
                once with the new pin, which this prints. Restart keep-server to present the new certificate.
                """
        )

        @OptionGroup var data: DataOption

        @Option(name: .long, help: ArgumentHelp("The address or name the server listens on, as given to serve.", valueName: "host"))
        var host = "127.0.0.1"

        func run() async throws {
            let folder = data.root.tlsFolder
            let rotated = try ServerCertificate.rotate(in: folder, host: host)
            let until = rotated.validUntil.formatted(.iso8601.year().month().day())
            Output.line("A new certificate, valid until \(until), is in \(folder)/cert.pem; restart keep-server to present it.")
            if rotated.pinKept {
                Output.line("Laptops keep trusting it through their pin, sha256=\(rotated.certificate.fingerprint): nothing to do on them.")
            } else {
                Output.line("The pin changed to sha256=\(rotated.certificate.fingerprint). On each laptop, run once:")
                Output.line("  keep login https://\(host):PORT --token TOKEN --pin \(rotated.certificate.fingerprint)")
            }
        }
    }
}
