import ArgumentParser
import Foundation
import KeepCore
import KeepStore

/// `keep init`: creates the store on this laptop.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the customer book on this laptop.",
        discussion: "The store is one file, by default ~/.local/share/keepword/keep.sqlite; --store or KEEP_STORE choose another."
    )

    @Option(name: .long, help: ArgumentHelp("The store file to create.", valueName: "path"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Your name, recorded as the author of what you write here (default: $USER).", valueName: "name"))
    var agent: String?

    func run() throws {
        let agentName = try Validate.agent(agent ?? ProcessInfo.processInfo.environment["USER"] ?? "me")
        let path = StoreLocation.resolve(explicit: store)
        let created = try ReplicaStore.create(at: path, agent: agentName)
        print("Created a customer book at \(path)")
        print("This laptop is replica \(created.replicaID); you write as \(agentName).")
        print("Next: keep customer add \"NAME\" --phone NUMBER")
    }
}
