/// `keep help TOPIC`: what no single command's help says, for the ideas that run through all of them.
enum HelpTopic: String, CaseIterable {
    case refs
    case dates
    case sync
    case json
    case privacy
    case completion

    var text: String {
        switch self {
        case .refs:
            """
            REF: naming a customer

            A REF is the start of a customer's id (at least 4 hex digits, as with git) or part of their name,
            ignoring case and accents: "μαρια", "Papad", "šimk" and "3f2a" all work. It may also be the
            customer's phone number in any form: 2101234567, "+30 210 123 4567" and 00302101234567 are one
            number (with `keep config set country-code 30` for a number written without its country code).
            A REF matching several customers lists them; one matching nobody suggests the nearest names.
            Records other than customers (promises, inquiries, follow-ups) are named by the start of their id,
            shown in every list.
            """
        case .dates:
            """
            Dates and times (WHEN)

            --due, --at and every other option that takes a WHEN read it in your time zone and store it as UTC. A
            day without a time means the end of that working day (17:00; change it with
            `keep config set workday-end 18:30`), or for today once that has passed, the end of the day. A due
            time in the past needs --allow-past.

              YOU TYPE               IT MEANS
              2026-12-04             4 December 2026, read the same way everywhere
              2026-12-04 10:00       that day at 10:00
              4/12/2026              also 4.12.2026 and 4-12-2026: see dates in numbers
              4/12                   the nearest 4 December, at most half a year away
              today, eod             the end of today's working day
              tomorrow               also: day after tomorrow, yesterday
              fri, friday            the first Friday after today (mon ... sun)
              next fri               the same: the first Friday after today
              this fri               the coming Friday, today if it is a Friday
              +3d, in 3 days         3 days from today (d, w, mo, y count days)
              +2h, in 2 hours        exactly 2 hours from now (min, h count minutes)
              in a week              also: in an hour, in a month, in a year
              17:00                  today at 17:00
              tomorrow 10:00         also tomorrow at 10:00, next fri 9:30, 4/12/2026 10:00

            Units: min (minutes), h (hours), d (days), w (weeks), mo (months), y (years), or the words: 30 minutes,
            2 hours, 3 days, 2 weeks, 1 month, 1 year. A bare m could be minutes or months, so it is refused with
            both readings: write +30min or +3mo. A follow-up's --in takes the same spans, with or without the +,
            such as 90d, 3mo or "2 weeks".

            Dates in numbers are read as your laptop's locale writes them (LC_ALL, else LC_TIME, else LANG): day
            first, so 4/12/2026 is 4 December, unless the locale writes the month first, as en_US does (there it
            is 12 April). With no locale (C, POSIX or unset) it is day first too. Where both orders are in use
            (en_CA, a bare en), a date that reads both ways is refused with both readings; setting LANG, e.g. to
            el_GR.UTF-8, says which. A
            date with one reading only, such as 13/4/2026, is read so under any locale. The year, when given, has
            four digits; 2026-12-04 always works.

            Also in Greek, Lithuanian and Persian, with or without accents:
              σήμερα, αύριο, μεθαύριο, χθες; Δευτέρα ... Κυριακή, Δευ ... Κυρ
              šiandien, rytoj, poryt, vakar; pirmadienis ... sekmadienis (or pirmadienį)
              امروز, فردا, پس\u{200C}فردا, دیروز; شنبه ... جمعه
            """
        case .sync:
            """
            Syncing with the shop's server

            `keep login https://SERVER:PORT --enroll CODE` (or --token TOKEN) connects this book to the shop's
            server, pinning its certificate unless --ca-file is given. `keep sync` sends what you changed and
            receives what others changed; it is safe to interrupt and to repeat, and nothing is lost offline.
            Two people changing the same thing without seeing each other's change is a conflict, kept for a
            person to settle: `keep conflicts`, then `keep resolve`.
            """
        case .json:
            """
            --json

            Every list and most commands take --json and print JSON with stable, documented fields
            (docs/JSON.md in the source): every field present, null when empty, times in ISO 8601 UTC.
            """
        case .privacy:
            """
            Privacy

            `keep customer export REF` prints everything the book holds about one customer.
            `keep customer forget REF --yes` erases their name, phone, e-mail and the words of every record about
            them, on this laptop at once and on the server and every other laptop at their next sync; what
            remains is anonymous, so reports stay true. What `keep undo` kept to take changes back about them is
            erased too: a forget, and any change about a forgotten customer, can never be taken back.
            """
        case .completion:
            """
            Shell completion, the manual and quiet output

              bash: keep --generate-completion-script bash > /etc/bash_completion.d/keep
              zsh:  keep --generate-completion-script zsh > ~/.zfunc/_keep
                    (with ~/.zfunc in fpath)
              fish: keep --generate-completion-script fish \\
                      > ~/.config/fish/completions/keep.fish

            The manual: install docs/man/keep.1 from the source into /usr/local/share/man/man1, then `man keep`.

            --quiet (or -q) on any command prints nothing on success; errors still go to standard error and the
            exit status says what happened.
            """
        }
    }

    static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The topic typed after `keep help`, in any case; `when`, the dates page's first name, still finds it.
    init?(named name: String) {
        let name = name.lowercased()
        self.init(rawValue: name == "when" ? "dates" : name)
    }

    /// The page as a terminal of `width` columns shows it (at most 80, for reading), or at 80 in a pipe.
    func rendered(width: Int?) -> String {
        TextWrap.reflow(text, width: min(width ?? 80, 80))
    }
}
