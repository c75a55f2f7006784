import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where output goes, and how it may look: colour only on a terminal and never with NO_COLOR.
struct Console {
    let useColor: Bool
    /// The terminal's width, or nil when output is not a terminal (then lines are not cut).
    let width: Int?
    /// The terminal's height in lines (24 when it does not say), or nil when output is not a terminal.
    let height: Int?
    let stdinIsTerminal: Bool

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        useColor = stdoutIsTerminal && !noColor && environment["TERM"] != "dumb"
        stdinIsTerminal = isatty(STDIN_FILENO) == 1
        if stdoutIsTerminal {
            var size = winsize()
            let measured = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0
            width = measured && size.ws_col > 0 ? Int(size.ws_col) : Int(environment["COLUMNS"] ?? "") ?? 80
            height = measured && size.ws_row > 0 ? Int(size.ws_row) : Int(environment["LINES"] ?? "") ?? 24
        } else {
            width = nil
            height = nil
        }
    }

    func print(_ line: String = "") {
        Swift.print(line)
    }

    /// A message for people, not for pipes: goes to standard error.
    func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    func style(_ text: String, _ style: Style) -> String {
        guard useColor, !text.isEmpty else { return text }
        return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
    }

    /// ANSI styles used for emphasis.
    enum Style: String {
        case bold = "1"
        case dim = "2"
        case red = "31"
        case green = "32"
        case yellow = "33"
        case cyan = "36"
        case boldRed = "1;31"
    }
}
