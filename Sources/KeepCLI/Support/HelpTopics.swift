/// `keep help TOPIC`: what no single command's help says, for the ideas that run through all of them.
enum HelpTopic: String, CaseIterable {
    case refs
    case when
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
        case .when:
            """
            WHEN: dates and times

            In your time zone, stored as UTC: 2026-11-25, 2026-11-25 17:00, today, tomorrow, eod, fri, +3d, +2w,
            +4h, 17:00. A day without a time means the end of that working day (17:00; change it with
            `keep config set workday-end 18:30`). A due time in the past needs --allow-past.
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

    /// The page as a terminal of `width` columns shows it (at most 80, for reading), or at 80 in a pipe.
    func rendered(width: Int?) -> String {
        TextWrap.reflow(text, width: min(width ?? 80, 80))
    }
}
