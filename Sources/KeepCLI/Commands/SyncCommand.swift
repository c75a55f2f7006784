import ArgumentParser
import Foundation
import KeepCore
import KeepProtocol
import KeepStore
import KeepSyncClient

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `keep sync`: exchanges changes with the shop's server.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Send this laptop's changes to the shop's server and bring back everyone else's.",
        discussion:
            "Safe to interrupt and to repeat: the next `keep sync` finishes the job. Conflicts are kept for a person to settle: see `keep conflicts`."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(
        help:
            "Print the summary as JSON: {\"sent\", \"received\", \"pulled\", \"conflicts\", \"newConflicts\", \"unreadable\", \"resentAfterRestore\"}."
    )
    var json = false

    func run() async throws {
        let session = try Session.open(global)
        let (server, trust) = try Self.connection(session)
        let token = try Credentials.load(forStore: session.store.path)
        let transport = try HTTPSTransport(server: server, token: token, trust: trust)
        let showProgress = isatty(STDERR_FILENO) == 1 && !json
        let openBefore = try session.store.conflicts().count
        let summary: SyncSummary
        do {
            var engine = SyncEngine(store: session.store, transport: transport)
            engine.prefetchesPullPages = true
            summary = try await engine.run { progress in
                guard showProgress else { return }
                Self.draw(progress)
            }
        } catch {
            await transport.shutdown()
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            throw try await Self.explain(error, server: server, session: session)
        }
        await transport.shutdown()
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        try session.store.set(.lastSyncAt, to: String(Date().epochMilliseconds))
        let unreadable = try session.store.unreadableCount()
        let open = summary.conflicts
        let arrived = max(0, open - openBefore)
        if json {
            print(
                JSONValue.object([
                    "sent": .integer(summary.sent), "received": .integer(summary.received), "pulled": .integer(summary.pulled),
                    "conflicts": .integer(summary.conflicts), "newConflicts": .integer(arrived), "unreadable": .integer(unreadable),
                    "resentAfterRestore": .bool(summary.resentAfterRestore),
                ])
                .rendered
            )
        } else {
            if summary.resentAfterRestore {
                print("The server was restored from a backup: this laptop sent it everything it holds,")
                print("so nothing is lost.")
            }
            print("Synced: sent \(summary.sent), received \(summary.received).")
            if arrived > 0 {
                let new = arrived == 1 ? "1 new conflict" : "\(arrived) new conflicts"
                print("\(new) arrived: two people changed the same thing.")
                print("See them with keep conflicts (\(open) to settle).")
            } else if open > 0 {
                print("\(open == 1 ? "1 conflict" : "\(open) conflicts") still to settle: keep conflicts")
            }
            if unreadable > 0 {
                let kept =
                    unreadable == 1
                    ? "1 record could not be read (kept and synced as it came)"
                    : "\(unreadable) records could not be read (kept and synced as they came)"
                print("\(kept): see keep check")
            }
        }
    }

    /// The server and how to trust it, as `keep login` saved them.
    static func connection(_ session: Session) throws -> (URL, ServerTrust) {
        let (address, pem, caFile) = try session.store.snapshot { store in
            (try store.setting(.syncServer), try store.setting(.syncCertificate), try store.setting(.syncCAFile))
        }
        guard let server = URL(string: address), !address.isEmpty else {
            throw KeepError("this store is not logged in to a sync server: run `keep login URL --token TOKEN` first", status: .configuration)
        }
        if !caFile.isEmpty { return (server, .certificateAuthority(caFile)) }
        guard !pem.isEmpty else { throw KeepError("no trusted certificate is saved for \(address): run `keep login` again", status: .configuration) }
        return (server, .pinned(pem))
    }

    /// Explains a failed sync; a TLS failure against a pinned certificate is checked for a changed certificate.
    static func explain(_ error: any Error, server: URL, session: Session) async throws -> KeepError {
        let pin = (try? session.store.setting(.syncPin)) ?? ""
        if !pin.isEmpty, let host = server.host,
            let seen = try? await CertificateProbe.fetch(host: host, port: server.port ?? 443), seen.fingerprint != pin
        {
            return KeepError(
                "the server's certificate changed since you logged in (was \(pin), now \(seen.fingerprint)): refusing to sync; if the server's operator confirms the new one, run keep login \(server.absoluteString) --pin \(seen.fingerprint) (this laptop's token is kept; if it was lost, ask the operator for a code, `keep-server device enroll SHOP DEVICE --existing`, and add --enroll CODE); \(SyncFailure.nothingLost)",
                status: .dataError
            )
        }
        return KeepError(SyncFailure.describe(error, server: server))
    }

    private static func draw(_ progress: SyncProgress) {
        let label = progress.phase == .pushing ? "sending" : "receiving"
        FileHandle.standardError.write(Data(ProgressLine.line(label, done: progress.done, total: progress.total).utf8))
    }
}
