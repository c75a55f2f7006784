public import ArgumentParser
import Foundation
import KeepCore
import KeepStore
import KeepSyncClient

/// `keep`: the shop's customer book on this laptop, offline.
public struct Keep: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "keep",
        abstract: "Keep your word to every customer: notes, replies owed, promises and follow-ups, offline.",
        discussion: """
            Start with `keep init --agent YOUR-NAME`, add a customer with `keep customer add "NAME"`, and look at \
            `keep today` every morning: overdue promises first, then replies owed, then what is due today.

            REF is the start of a customer's id (at least 4 characters) or part of their name, ignoring case and \
            accents. WHEN is a date or time in your time zone: 2026-11-25, 25/11/2026, today, tomorrow, eod, \
            fri, next fri, in 3 days, +2w, +3mo, +4h, +30min or 17:00; a day without a time means the end of that \
            working day.

            More in `keep help TOPIC`: refs, dates, sync, json, privacy, completion. --quiet (-q) prints nothing on \
            success.
            """,
        version: "0.1.0",
        subcommands: [
            Init.self, Today.self, Report.self, CustomerCommand.self, NoteCommand.self, InquiryCommand.self, PromiseCommand.self,
            FollowUpCommand.self, PurchaseCommand.self, SurveyCommand.self, Search.self, Export.self, Conflicts.self, Resolve.self, Undo.self,
            Check.self,
            Login.self,
            SyncCommand.self,
            Config.self,
        ]
    )

    public init() {}

    /// Refuses a mistyped command with the commands it may have meant, before the parser's general message.
    static func suggestCommand(_ arguments: [String]) throws {
        var command: any ParsableCommand.Type = Keep.self
        var path = ["keep"]
        for word in arguments.prefix(2) {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, !word.hasPrefix("-") else { return }
            let names = subcommands.map { $0._commandName } + (command == Keep.self ? ["help"] : [])
            if let next = subcommands.first(where: { $0._commandName == word }) {
                command = next
                path.append(word)
                continue
            }
            if names.contains(word) { return }
            let near = Suggestion.closest(to: word, among: names)
            throw KeepError(
                "\(path.joined(separator: " ")) has no command \"\(word.prefix(40))\""
                    + (near.isEmpty ? "" : ": did you mean \(near.map { "`\(path.joined(separator: " ")) \($0)`" }.joined(separator: " or "))?")
                    + (near.isEmpty ? ": see `\(path.joined(separator: " ")) --help`" : ""),
                status: .usage
            )
        }
    }

    /// Runs the command line, printing failures as one line and exiting with a sysexits status.
    public static func main(arguments: [String]) async {
        var arguments = arguments
        if arguments.count == 2, arguments[0] == "help", let topic = HelpTopic(named: arguments[1]) {
            print(topic.rendered(width: Console().width))
            return
        }
        if let quiet = arguments.prefix(while: { $0 != "--" }).firstIndex(where: { $0 == "--quiet" || $0 == "-q" }) {
            arguments.remove(at: quiet)
            // Nothing on success: standard output goes nowhere, errors still reach standard error.
            let null = open("/dev/null", O_WRONLY)
            if null >= 0 { dup2(null, STDOUT_FILENO) }
        }
        do {
            try suggestCommand(arguments)
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // The store's and the sync client's failures become messages here, once, with the status they carry.
            guard let failure = (error as? KeepError) ?? (error as? StoreError).map(KeepError.init) ?? (error as? SyncFailure).map(KeepError.init)
            else { exit(withError: error) }
            var lines = ["keep: \(failure.message)"]
            lines += failure.details
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            Foundation.exit(failure.status.rawValue)
        }
    }
}
