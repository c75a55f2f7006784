import Foundation
import KeepCore
import KeepProtocol

/// Record states as a laptop with replica `replica` writes them.
struct Laptop: Sendable {
    let replica = ReplicaID.random()
    private var counter: UInt64 = 0

    /// A new customer written by this laptop.
    mutating func newCustomer(_ name: String) -> RecordState {
        var state = RecordState(id: RecordID.random(), kind: .customer)
        write(["name": .text(name), "createdAt": .integer(Date().epochMilliseconds)], to: &state)
        return state
    }

    /// Writes `values` to `state` with this laptop's next dot.
    mutating func write(_ values: [String: FieldValue], to state: inout RecordState) {
        counter += 1
        state.write(values, dot: Dot(replica: replica, counter: counter), at: Date().epochMilliseconds, by: "tester")
    }

    func push(_ records: [RecordState]) -> PushRequest {
        PushRequest(replica: replica, records: records)
    }
}
