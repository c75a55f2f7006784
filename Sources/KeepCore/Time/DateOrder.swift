/// Which comes first in a date written in numbers, such as 04/12/2026: the day or the month, as the laptop's locale
/// writes dates.
///
/// Only dates that read two ways depend on it: 13/04/2026 has one reading under any order, and 2026-12-04 is always
/// year, month, day.
public enum DateOrder: Sendable, Hashable {
    /// 04/12/2026 is 4 December, as in Greece, Lithuania, Iran and most of the world.
    case dayFirst
    /// 04/12/2026 is 12 April, as in the United States.
    case monthFirst
    /// Both orders are in use where the locale points (a bare `en`, Canada): a date that reads two ways is refused
    /// with both readings rather than guessed.
    case unknown

    /// Regions whose locales write the month first: the United States and the places that date as it does.
    private static let monthFirstRegions: Set<String> = ["US", "AS", "GU", "MP", "PR", "UM", "VI", "FM", "MH", "PW", "PH"]
    /// Regions where both orders are common, so that the locale cannot settle it.
    private static let mixedRegions: Set<String> = ["CA"]

    /// The order a POSIX locale name implies: `en_US.UTF-8` is month first; `el_GR.UTF-8`, `lt_LT`, `fa_IR`, `de`,
    /// and `C`, `POSIX` or none (a laptop nobody set a locale on, read as the shops Keepword serves write) day first;
    /// a bare `en` and Canada (both orders are written there) unknown.
    public init(locale: String?) {
        let name = locale?.split(whereSeparator: { $0 == "." || $0 == "@" }).first.map(String.init) ?? ""
        let parts = name.split(whereSeparator: { $0 == "_" || $0 == "-" }).map(String.init)
        guard let language = parts.first?.lowercased(), language.count >= 2, language.allSatisfy(\.isLetter), language != "posix"
        else {
            self = .dayFirst
            return
        }
        let region = parts.dropFirst().first { $0.count == 2 && $0.allSatisfy(\.isLetter) }?.uppercased()
        switch region {
        case let region? where Self.monthFirstRegions.contains(region): self = .monthFirst
        case let region? where Self.mixedRegions.contains(region): self = .unknown
        case nil where language == "en": self = .unknown
        default: self = .dayFirst
        }
    }

    /// The order the environment's locale for dates implies: `LC_ALL`, then `LC_TIME`, then `LANG`, the first that is
    /// set and not empty, as the C library chooses.
    public init(environment: [String: String]) {
        self.init(locale: ["LC_ALL", "LC_TIME", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty })
    }
}
