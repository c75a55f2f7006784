/// Limits on what a person may type, so that no input can bloat the store or the sync.
enum Limits {
    static let nameLength = 200
    static let phoneLength = 40
    static let emailLength = 254
    static let textLength = 20_000
    static let reasonLength = 2_000
    static let agentLength = 80
}
