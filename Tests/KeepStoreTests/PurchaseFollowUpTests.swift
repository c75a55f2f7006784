import Foundation
import KeepCore
import KeepTestSupport
import Testing

@testable import KeepStore

/// Purchases, the rule that gives big ones a follow-up, and contacts that move it.
@Suite("Purchases and automatic follow-ups")
struct PurchaseFollowUpTests {
    private let day: TimeInterval = 86_400
    private let start = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func amountsAndRulesReadAsPeopleWriteThem() {
        #expect(Money(parsing: "120")?.cents == 12_000)
        #expect(Money(parsing: "120.5")?.cents == 12_050)
        #expect(Money(parsing: "120,05")?.cents == 12_005)
        for bad in ["", "-5", "+5", "1e3", "12.345", "abc", "١٢٠", "1000000001"] { #expect(Money(parsing: bad) == nil, "\(bad)") }
        let rule = PurchaseFollowUpRule(parsing: "100 after 14d")
        #expect(rule?.minimum == Money(cents: 10_000) && rule?.days == 14)
        #expect(PurchaseFollowUpRule(parsing: "99.90 after 2w")?.days == 14)
        for bad in ["100", "100 in 14d", "100 after 14", "100 after 0d", "x after 3d", "100 after 99999d"] {
            #expect(PurchaseFollowUpRule(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func aContactWithTheCustomerMovesTheirAutomaticFollowUpButNotAPlannedOne() throws {
        let folder = TemporaryFolder()
        let store = try ReplicaStore.create(at: folder.file("shop.sqlite"), agent: "test")
        try store.set(.purchaseFollowUp, to: "100 after 14d")
        let maria = try store.addCustomer("Μαρία Παπαδοπούλου", now: start)
        let (automatic, planned) = try store.write(agent: "ana", now: start) { writer in
            let purchase = try writer.create(
                .purchase,
                Purchase.creation(customer: maria, item: "Ψυγείο", amount: Money(cents: 90_000), at: start, by: "ana")
            )
            let automatic = try writer.create(
                .followUp,
                FollowUp.creation(customer: maria, text: "How is the fridge?", dueAt: start + 14 * day, at: start, by: "ana", purchase: purchase)
            )
            let planned = try writer.create(.followUp, FollowUp.creation(customer: maria, text: "Call", dueAt: start + 5 * day, at: start, by: "ana"))
            return (automatic, planned)
        }
        // Ten days later she phones: the automatic follow-up moves to 14 days after the call.
        let call = start + 10 * day
        try store.write(agent: "ana", now: call) { writer in
            _ = try writer.create(.note, Note.creation(customer: maria, kind: .note, channel: .phone, text: "Όλα καλά", author: "ana", at: call))
        }
        #expect(try store.followUp(automatic)?.dueAt == Date(epochMilliseconds: (call + 14 * day).epochMilliseconds))
        #expect(try store.followUp(planned)?.dueAt == Date(epochMilliseconds: (start + 5 * day).epochMilliseconds), "a planned follow-up stays")
        #expect(try store.followUp(automatic)?.purchaseID != nil)

        // Without the rule, a contact moves nothing.
        try store.set(.purchaseFollowUp, to: "")
        try store.write(agent: "ana", now: call + day) { writer in
            _ = try writer.create(.survey, Survey.creation(customer: maria, score: 5, text: nil, at: call + day, by: "ana"))
        }
        #expect(try store.followUp(automatic)?.dueAt == Date(epochMilliseconds: (call + 14 * day).epochMilliseconds))
        #expect(try store.purchases(customer: maria).map(\.item) == ["Ψυγείο"])
        #expect(try store.surveys().map(\.score) == [5])
    }
}
