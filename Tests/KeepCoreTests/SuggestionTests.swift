import KeepCore
import Testing

@Suite("Did you mean")
struct SuggestionTests {
    @Test func nearestFirstIgnoringCaseAndAccents() {
        #expect(Suggestion.closest(to: "todya", among: ["today", "report", "sync"]) == ["today"])
        #expect(Suggestion.closest(to: "sinc", among: ["today", "report", "sync", "search"]) == ["sync"])
        #expect(Suggestion.closest(to: "ΠΑΠΑΔΟΠΟΥΛΟΥ", among: ["Παπαδοπούλου", "Γεωργίου"]) == ["Παπαδοπούλου"])
        #expect(Suggestion.closest(to: "simkte", among: ["Šimkutė"]) == ["Šimkutė"])
        #expect(Suggestion.closest(to: "xyz", among: ["today", "report"]).isEmpty, "nothing near is nothing offered")
        #expect(Suggestion.closest(to: "", among: ["today"]).isEmpty)
    }
}
