import Foundation

/// A length of time as people type it: `3d`, `+2w`, `3mo`, `30 min`, `in 2 hours`, `in a week`.
struct Span: Equatable {
    /// What a span counts; minutes and months have units of their own, because a bare `m` could be either.
    enum Unit: Equatable {
        case minute
        case hour
        case day
        case week
        case month
        case year
    }

    let amount: Int
    let unit: Unit

    /// Minutes and hours are elapsed time from now; days and longer are days on the calendar, which end at a day.
    var isExact: Bool { unit == .minute || unit == .hour }

    /// An exact span in seconds.
    var seconds: TimeInterval { TimeInterval(amount * (unit == .hour ? 3_600 : 60)) }

    /// A calendar span as the step `Calendar` adds: a week is seven days, a month from 31 January ends in February.
    var step: (component: Calendar.Component, count: Int) {
        switch unit {
        case .minute: (.minute, amount)
        case .hour: (.hour, amount)
        case .day: (.day, amount)
        case .week: (.day, amount * 7)
        case .month: (.month, amount)
        case .year: (.year, amount)
        }
    }

    /// Reads a span at the start of `words` and removes it from them; nil, leaving them as they were, when they do
    /// not start with one.
    ///
    /// - Parameter signRequired: whether the span must say it is one with `+` or `in`, as a due date's must, so that
    ///   a bare number stays free for other forms.
    static func read(_ words: inout ArraySlice<String>, signRequired: Bool, typed: String) throws(WhenError) -> Span? {
        var rest = words
        var lead = ""
        if rest.first == "in" {
            rest.removeFirst()
            lead = "in "
        }
        guard var amountWord = rest.popFirst() else { return nil }
        if amountWord.hasPrefix("+"), lead.isEmpty {
            amountWord.removeFirst()
            lead = "+"
        }
        guard !signRequired || !lead.isEmpty else { return nil }
        let amount: Int
        var unitWord: String
        if lead == "in ", amountWord == "a" || amountWord == "an" {
            // "in an hour", "in a week".
            amount = 1
            unitWord = ""
        } else {
            let digits = amountWord.prefix(while: \.isASCIIDigit)
            guard (1...9).contains(digits.count), let number = Int(digits) else { return nil }
            amount = number
            unitWord = String(amountWord.dropFirst(digits.count))
        }
        if unitWord.isEmpty {
            // "3 days" as well as "3days".
            guard let next = rest.popFirst() else { return nil }
            unitWord = next
        }
        if unitWord == "m" {
            throw WhenError(
                .ambiguousUnit,
                input: typed,
                readings: [
                    WhenError.Reading(meaning: Self(amount: amount, unit: .minute).spelledOut, written: "\(lead)\(amount)min"),
                    WhenError.Reading(meaning: Self(amount: amount, unit: .month).spelledOut, written: "\(lead)\(amount)mo"),
                ]
            )
        }
        guard let unit = units[unitWord] else { return nil }
        let span = Span(amount: amount, unit: unit)
        guard span.amount <= span.limit else { throw WhenError(.tooFar, input: typed) }
        words = rest
        return span
    }

    /// "1 minute", "3 months".
    var spelledOut: String {
        let name =
            switch unit {
            case .minute: "minute"
            case .hour: "hour"
            case .day: "day"
            case .week: "week"
            case .month: "month"
            case .year: "year"
            }
        return "\(amount) \(name)\(amount == 1 ? "" : "s")"
    }

    /// A hundred years in this unit, so that later arithmetic cannot overflow.
    private var limit: Int {
        switch unit {
        case .minute: 100 * 366 * 24 * 60
        case .hour: 100 * 366 * 24
        case .day: 36_600
        case .week: 36_600 / 7
        case .month: 1_200
        case .year: 100
        }
    }

    private static let units: [String: Unit] = [
        "min": .minute, "mins": .minute, "minute": .minute, "minutes": .minute,
        "h": .hour, "hr": .hour, "hrs": .hour, "hour": .hour, "hours": .hour,
        "d": .day, "day": .day, "days": .day,
        "w": .week, "wk": .week, "wks": .week, "week": .week, "weeks": .week,
        "mo": .month, "mos": .month, "month": .month, "months": .month,
        "y": .year, "yr": .year, "yrs": .year, "year": .year, "years": .year,
    ]
}
