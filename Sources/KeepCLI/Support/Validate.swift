import Foundation
import KeepCore
import KeepProtocol

/// Checks what a person typed before anything is written, with messages that say how to fix it.
enum Validate {
    static func name(_ raw: String) throws -> String {
        let name = Format.oneLine(raw).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else {
            throw KeepError("a customer's name cannot be empty: give the name in quotes, e.g. \"Μαρία Παπαδοπούλου\"", status: .usage)
        }
        guard name.count <= Limits.nameLength else {
            throw KeepError("the name is \(name.count) characters long: shorten it to at most \(Limits.nameLength)", status: .usage)
        }
        return name
    }

    static func phone(_ raw: String) throws -> String {
        let phone = raw.trimmingCharacters(in: .whitespaces)
        let allowed = CharacterSet(charactersIn: "+()-./ ").union(.decimalDigits)
        let digits = phone.unicodeScalars.filter { CharacterSet.decimalDigits.contains($0) }.count
        guard digits >= 3, phone.unicodeScalars.allSatisfy(allowed.contains), phone.count <= Limits.phoneLength else {
            throw KeepError(
                "\"\(raw)\" is not a phone number: use digits with optional +, spaces, dashes, dots or brackets, e.g. +30 210 123 4567",
                status: .usage
            )
        }
        return phone
    }

    static func email(_ raw: String) throws -> String {
        let email = raw.trimmingCharacters(in: .whitespaces)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !email.contains(where: \.isWhitespace), email.count <= Limits.emailLength
        else {
            throw KeepError("\"\(raw)\" is not an email address: use the form name@example.com", status: .usage)
        }
        return email
    }

    /// A note's, promise's or follow-up's text: not empty, not huge.
    static func text(_ raw: String, what: String = "text", limit: Int = Limits.textLength) throws -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw KeepError("the \(what) is empty: write what was said or promised, in quotes or on standard input", status: .usage)
        }
        guard text.count <= limit else {
            throw KeepError("the \(what) is \(text.count) characters long: shorten it to at most \(limit)", status: .usage)
        }
        // What the sync server accepts of one value: characters made of many code points (accents stacked on a
        // letter) can make a text of few characters too long to sync.
        guard text.utf8.count <= RecordLimits.maxTextBytes else {
            throw KeepError(
                "the \(what) takes \(text.utf8.count) bytes, more than a synced text may (\(RecordLimits.maxTextBytes)): shorten it",
                status: .usage
            )
        }
        return text
    }

    static func agent(_ raw: String) throws -> String {
        let agent = Format.oneLine(raw).trimmingCharacters(in: .whitespaces)
        guard !agent.isEmpty, agent.count <= Limits.agentLength else {
            throw KeepError("the agent name must be 1 to \(Limits.agentLength) characters: give your name, e.g. --agent Ελένη", status: .usage)
        }
        return agent
    }
}
