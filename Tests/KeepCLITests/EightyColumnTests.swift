import Foundation
import Testing

@testable import KeepCLI

/// Every table and the agenda, on an 80-column terminal, with the long Greek, Lithuanian and Persian names and
/// texts a real shop has. The commands run on a real pseudo-terminal (util-linux `script`), as a person sees them.
@Suite("80 columns")
struct EightyColumnTests {
    let keep: KeepProcess
    let refs: [String: String]

    static let names = [
        "Αικατερίνη Παπαδοπούλου-Κωνσταντινίδου", "Žydrūnė Šimkutė-Vaitkevičienė", "سپیده رضایی‌نژاد خراسانی", "Ona Jonaitienė",
    ]

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-80-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        keep = KeepProcess(storePath: folder + "/keep.sqlite", timeZone: KeepProcess.lateMorningTimeZone)
        #expect(try keep.run("init", "--agent", "Ελένη Αθανασοπούλου").status == 0)
        let persian = "برای ارتباطات شخصی هیچ جایگزینی وجود ندارد، مشتریان هنوز ترجیح میدهند با اشخاص حقیقی صحبت کنند"
        let lithuanian = "Nuoseklus ir apgalvotas klientų aptarnavimas yra įmonės, kuri supranta, kas duoda savo duoną, ženklas"
        let greek = "Η εξυπηρέτηση πελατών είναι η υποστήριξη που προσφέρετε στους πελάτες σας πριν και μετά την αγορά"
        var refs: [String: String] = [:]
        for (name, text) in zip(Self.names, [greek, lithuanian, persian, lithuanian]) {
            let added = try #require(try keep.run("customer", "add", name, "--phone", "+30 210 123 4567", "--json").json() as? [String: Any])
            let ref = try #require(added["ref"] as? String)
            refs[name] = ref
            for arguments in [
                ["promise", "add", ref, text, "--due", "2025-03-01", "--allow-past"], ["promise", "add", ref, text, "--due", "tomorrow"],
                ["promise", "add", ref, text, "--due", "+2h"], ["inquiry", "add", ref, text], ["inquiry", "add", ref, text, "--complaint"],
                ["note", "add", ref, text], ["followup", "add", ref, text, "--in", "3d"], ["purchase", "add", ref, text, "--amount", "1299,90"],
                ["survey", "add", ref, "--score", "4", text],
            ] {
                let result = try keep.run(arguments)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
            }
        }
        self.refs = refs
    }

    /// What `keep ARGUMENTS` shows on an 80-column terminal, without colour codes.
    func onTerminal(_ arguments: [String]) throws -> String {
        let quoted = ([KeepProcess.executable.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        var terminal = keep
        terminal.environment["COLUMNS"] = "80"
        terminal.environment["TERM"] = "xterm-256color"
        let script = try terminal.runProgram("/usr/bin/script", ["-qec", quoted.joined(separator: " "), "/dev/null"])
        #expect(script.status == 0, "\(arguments): \(script.stdout) \(script.stderr)")
        return script.stdout.replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
    }

    @Test(arguments: [
        ["today"], ["customer", "list"], ["promise", "list"], ["promise", "list", "--overdue"], ["inquiry", "list"], ["followup", "list"],
        ["purchase", "list"], ["survey", "list"], ["search", "klientų"], ["search", "πελατών"], ["report"],
    ])
    func everyLineFitsEightyColumns(arguments: [String]) throws {
        let output = try onTerminal(arguments)
        #expect(output.split(separator: "\n").count >= 2, "\(arguments) shows something: \(output)")
        for line in output.split(separator: "\n") {
            #expect(TextWidth.of(String(line)) <= 80, "\(arguments): \(TextWidth.of(String(line))) columns: \(line)")
        }
    }

    @Test func aCustomersOwnPagesFitEightyColumns() throws {
        for name in Self.names {
            let ref = try #require(refs[name])
            for arguments in [["customer", "show", ref], ["note", "list", ref]] {
                for line in try onTerminal(arguments).split(separator: "\n") {
                    #expect(TextWidth.of(String(line)) <= 80, "\(arguments): \(TextWidth.of(String(line))) columns: \(line)")
                }
            }
        }
    }

    @Test func refsAreNeverLostToTheCut() throws {
        let today = try onTerminal(["today"])
        let agenda = try #require(try keep.run("today", "--json").json() as? [String: Any])
        let rows = ["overduePromises", "repliesOwed", "promisesDueToday", "followUpsComingUp"].flatMap { agenda[$0] as? [[String: Any]] ?? [] }
        #expect(rows.count == 4 * 5)
        for row in rows {
            let ref = try #require(row["ref"] as? String)
            #expect(today.contains(ref), "\(ref) can still be typed back")
        }
        #expect(today.contains("Ona Jonaitienė"), "a short name is shown whole")
    }
}
