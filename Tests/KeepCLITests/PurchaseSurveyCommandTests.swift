import Foundation
import Testing

/// `keep purchase`, `keep survey` and the follow-up rule, as a person uses them.
@Suite("keep purchase and keep survey")
struct PurchaseSurveyCommandTests {
    let keep: KeepProcess

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keep-purchase-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        keep = KeepProcess(storePath: folder + "/keep.sqlite")
        #expect(try keep.run("init", "--agent", "Ελένη").status == 0)
        #expect(try keep.run("customer", "add", "Žydrūnė Šimkutė").status == 0)
    }

    @Test func aBigPurchaseGetsItsFollowUpAndASmallOneDoesNot() throws {
        let rule = try keep.run("config", "set", "follow-up-purchases", "100 after 2w")
        #expect(rule.status == 0, "\(rule.stderr)")
        let big = try #require(try keep.run("purchase", "add", "Šimkutė", "Šaldytuvas", "--amount", "899,90", "--json").json() as? [String: Any])
        #expect(big["amount"] as? String == "899.90")
        let followUp = try #require(big["followUp"] as? [String: Any])
        #expect(followUp["text"] as? String == "How is the Šaldytuvas?")
        #expect(followUp["purchase"] as? String == big["id"] as? String)
        let small = try #require(try keep.run("purchase", "add", "Šimkutė", "Lemputė", "--amount", "4.50", "--json").json() as? [String: Any])
        #expect(small["followUp"] is NSNull)
        let text = try keep.run("purchase", "add", "Šimkutė", "Skalbyklė", "--amount", "450")
        #expect(text.stdout.contains("Follow up"), "\(text.stdout)")
        let listed = try #require(try keep.run("purchase", "list", "--json").json() as? [[String: Any]])
        #expect(listed.count == 3)
        #expect(try keep.run("followup", "list", "--json").json() as? [Any] != nil)
        let config = try #require(try keep.run("config", "--json").json() as? [String: Any])
        #expect(config["follow-up-purchases"] as? String == "100.00 after 14d")
    }

    @Test func surveysAreScoredOneToFive() throws {
        let answered = try #require(try keep.run("survey", "add", "Šimkutė", "--score", "4", "Greitai pristatė", "--json").json() as? [String: Any])
        #expect(answered["score"] as? Int == 4)
        #expect(answered["text"] as? String == "Greitai pristatė")
        let listed = try #require(try keep.run("survey", "list", "--json").json() as? [[String: Any]])
        #expect(listed.count == 1)
        let report = try #require(try keep.run("report", "--json").json() as? [String: Any])
        #expect((report["satisfaction"] as? [String: Any])?["answers"] as? Int == 1)
    }

    @Test(arguments: [
        (["survey", "add", "Šimkutė", "--score", "6"], "--score takes 1"),
        (["survey", "add", "Šimkutė", "--score", "0"], "--score takes 1"),
        (["purchase", "add", "Šimkutė", "Šaldytuvas", "--amount", "3.999"], "--amount takes an amount"),
        (["purchase", "add", "Šimkutė", "Šaldytuvas", "--at", "+2d"], "in the future"),
        (["config", "set", "follow-up-purchases", "soon"], "is not a follow-up rule"),
    ])
    func badInputIsRefusedAndChangesNothing(arguments: [String], message: String) throws {
        let result = try keep.run(arguments)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect((try keep.run("purchase", "list", "--json").json() as? [Any])?.isEmpty == true)
        #expect((try keep.run("survey", "list", "--json").json() as? [Any])?.isEmpty == true)
    }
}
