import Foundation
import KeepTenancy

/// What the commands print: results on standard output, problems on standard error.
enum Output {
    /// Prints a line and flushes it at once, so that a process reading the pipe sees it immediately.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Prints one JSON object on one line, keys sorted, dates in ISO 8601.
    static func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        line(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Prints a device's new token, the only time it is shown: as JSON (tenant, device, token), or after `headline`.
    static func token(of new: NewDevice, json: Bool, headline: String) throws {
        if json {
            try self.json(["tenant": new.device.tenant.rawValue, "device": new.device.name, "token": new.token.text])
        } else {
            line(headline)
            line(new.token.text)
        }
    }

    /// Prints `keep-server: MESSAGE` on standard error.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("keep-server: \(message)\n".utf8))
    }
}
