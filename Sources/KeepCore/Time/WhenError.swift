import Foundation

/// Why a typed date or time span could not be read; its description names the fix.
public struct WhenError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem, comparable in tests and by callers.
    public struct Reason: Sendable, Hashable {
        private enum Value: Sendable, Hashable {
            case unreadableDate
            case unreadableSpan
            case noSuchDay
            case noSuchTime
            case tooFar
            case ambiguousUnit
            case ambiguousDate
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The text is none of the forms a due date may take.
        public static var unreadableDate: Self { Self(.unreadableDate) }
        /// The text is none of the forms a follow-up's span may take.
        public static var unreadableSpan: Self { Self(.unreadableSpan) }
        /// A date with the right shape that is not on the calendar, such as 2026-02-30.
        public static var noSuchDay: Self { Self(.noSuchDay) }
        /// A time with the right shape that is not on a 24-hour clock, such as 25:00.
        public static var noSuchTime: Self { Self(.noSuchTime) }
        /// More than a hundred years away.
        public static var tooFar: Self { Self(.tooFar) }
        /// A span in `m`, which some read as minutes and others as months.
        public static var ambiguousUnit: Self { Self(.ambiguousUnit) }
        /// A date in numbers that is a day on the calendar read day first and read month first.
        public static var ambiguousDate: Self { Self(.ambiguousDate) }

        fileprivate func message(about quoted: String, readings: [Reading]) -> String {
            switch value {
            case .unreadableDate:
                "cannot read \(quoted) as a date: use 2026-11-25, 25/11/2026, today, tomorrow, fri, next fri, in 3 days, +2w, +4h, 17:00 "
                    + "or tomorrow 10:00 (see keep help dates)"
            case .unreadableSpan: "cannot read \(quoted) as a time span: use 90d, 2w, 3mo, 1y, 4h or 30min (see keep help dates)"
            case .noSuchDay: "\(quoted) is not a day on the calendar: check the month and the day, e.g. 2026-11-25"
            case .noSuchTime: "\(quoted) has no such time of day: use HH:MM on a 24-hour clock, e.g. 17:00"
            case .tooFar: "\(quoted) is too far away: give a date within a hundred years"
            case .ambiguousUnit, .ambiguousDate:
                "\(quoted) could be " + readings.map { "\($0.meaning) (\($0.written))" }.joined(separator: " or ") + ": write the one you mean"
            }
        }
    }

    /// One way to understand what was typed, and how to write it so that it means only that.
    public struct Reading: Sendable, Hashable {
        /// In words: "1 minute", "4 December 2026".
        public let meaning: String
        /// The same, written unambiguously: "+1min", "2026-12-04".
        public let written: String

        /// A reading of an ambiguous text.
        public init(meaning: String, written: String) {
            self.meaning = meaning
            self.written = written
        }
    }

    /// What kind of problem.
    public let reason: Reason
    /// What the shop owner typed.
    public let input: String
    /// The ways an ambiguous text could be read, for the ambiguous reasons; empty for the others.
    public let readings: [Reading]

    /// Creates an error about what the shop owner typed.
    public init(_ reason: Reason, input: String, readings: [Reading] = []) {
        self.reason = reason
        self.input = input
        self.readings = readings
    }

    /// One line naming the problem and the forms that work.
    public var description: String {
        // One line even when a pasted argument spans several.
        let shown = input.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return reason.message(about: "\"\(shown.trimmingCharacters(in: .whitespaces))\"", readings: readings)
    }
}
