import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A line on standard error that says how far a long command is, redrawn in place: `sending 1200/5000 [#####.....]`.
/// Only on a terminal, so that nothing of it reaches a file or a pipe.
struct ProgressLine {
    /// False when standard error is not a terminal, or the command prints JSON: then nothing is drawn.
    let isShown: Bool
    private var lastDrawn: (done: Int, filled: Int)?

    init(enabled: Bool = true) {
        isShown = enabled && isatty(STDERR_FILENO) == 1
    }

    /// Draws `label done/total` and a bar when the bar moved or a hundredth of the total was done since the last
    /// drawing, so that a loop may call it for every item.
    mutating func draw(_ label: String, done: Int, total: Int) {
        guard isShown else { return }
        let filled = Self.filled(done: done, total: total)
        if let last = lastDrawn, last.filled == filled, done != total, done - last.done < max(1, total / 100) { return }
        lastDrawn = (done, filled)
        FileHandle.standardError.write(Data(Self.line(label, done: done, total: total).utf8))
    }

    /// The line itself, starting with a carriage return and an erase to the end of the line.
    static func line(_ label: String, done: Int, total: Int?) -> String {
        var line = "\r\u{1B}[K\(label) \(done)"
        if let total, total > 0 {
            let filled = filled(done: done, total: total)
            line += "/\(total) [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
        }
        return line
    }

    private static let width = 30

    private static func filled(done: Int, total: Int) -> Int { total > 0 ? min(width, done * width / total) : 0 }

    /// Removes the line, before the command's own output.
    func clear() {
        guard isShown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
