import Foundation
import Testing

/// `keep help TOPIC`, shell completion scripts and `--quiet`.
@Suite("Help topics, completion and --quiet")
struct HelpAndQuietTests {
    let keep: KeepProcess

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-help-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        keep = KeepProcess(storePath: folder + "/keep.sqlite")
        #expect(try keep.run("init", "--agent", "Ελένη").status == 0)
    }

    @Test(arguments: ["refs", "dates", "when", "sync", "json", "privacy", "completion"])
    func everyTopicHasItsPage(topic: String) throws {
        let result = try keep.run("help", topic)
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").count >= 3)
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 110 })
    }

    @Test func commandsStillHaveTheirHelpAndTheRootNamesTheTopics() throws {
        #expect(try keep.run("help", "today").stdout.contains("overdue promises"))
        #expect(try keep.run("--help").stdout.contains("keep help TOPIC"))
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScripts(shell: String) throws {
        let result = try keep.run("--generate-completion-script", shell)
        #expect(result.status == 0)
        #expect(result.stdout.contains("customer") && result.stdout.contains("report"))
    }

    @Test func quietPrintsNothingOnSuccessAndStillReportsFailure() throws {
        let added = try keep.run("customer", "add", "Νίκος Γεωργίου", "--quiet")
        #expect(added.status == 0 && added.stdout.isEmpty)
        #expect(try keep.run("customer", "list").stdout.contains("Νίκος Γεωργίου"), "it did its work")
        let failed = try keep.run("-q", "customer", "show", "Γιάννης")
        #expect(failed.status == 65 && failed.stdout.isEmpty)
        #expect(failed.stderr.contains("no customer matches"))
        let text = try keep.run("note", "add", "Νίκος", "--", "--quiet")
        #expect(text.status == 0, "after --, --quiet is text: \(text.stderr)")
    }
}
