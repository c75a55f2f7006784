/// What profiling found behind each missed target: the functions and files where the time or memory goes, with
/// instruction counts from callgrind, and what would change it. The report prints these under a scenario whose
/// target was missed in the run; a run that meets the target leaves them out.
enum Findings {
    static func forScenario(_ id: String) -> [String] {
        switch id {
        default: []
        }
    }
}
