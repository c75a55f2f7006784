import Foundation
import KeepCore

/// One step of a simulated shop: a person's write on one laptop, a sync through a faulty network, a
/// delayed message arriving, or the server restarting.
///
/// Records are named by the `key` of the step that created them, so that a step removed while shrinking a
/// failing run leaves the others meaning what they meant (a step on a record that does not exist is a no-op).
enum SimulationStep: Hashable, Sendable, CustomStringConvertible {
    case createCustomer(replica: Int, key: Int, value: Int)
    case createPromise(replica: Int, key: Int, value: Int)
    /// Writes one or two fields (`fields` is a bit mask over the kind's editable fields).
    case edit(replica: Int, record: Int, fields: Int, value: Int)
    case delete(replica: Int, record: Int)
    case keepPromise(replica: Int, record: Int)
    case cancelPromise(replica: Int, record: Int, value: Int)
    /// Settles every conflict of the record: a new value for each conflicted field, and a delete conflict
    /// settled by keeping the record or by deleting it again.
    case resolve(replica: Int, record: Int, value: Int, deleteAgain: Bool)
    /// One whole sync; `faults` seeds the network's behaviour during it, `faultRate` in percent per call.
    case sync(replica: Int, faults: UInt64, faultRate: Int)
    /// A message held back by the network arrives now (the `index`-th pending one, modulo their number).
    case deliverDelayed(index: Int)
    case restartServer
    /// The operator backs the server's store up, and later restores it from the `index`-th backup (modulo
    /// their number): the store forgets what it received since, and the laptops must send it again.
    case backupServer
    case restoreServer(index: Int)
    /// Sets one or two of the shop's settings: every laptop writes the one shop record, creating it if it has not
    /// received it yet, so laptops that never synced create the same record concurrently.
    case setShopSettings(replica: Int, value: Int)
    /// A hostile or broken laptop pushes the server's own state of a record with one value or delete left out
    /// (the `pick`-th of them) and nothing written over it: the server must refuse it, or the oracle finds a lost write.
    case pushOmitting(replica: Int, record: Int, pick: Int)

    var description: String {
        switch self {
        case .createCustomer(let replica, let key, let value): "r\(replica) creates customer #\(key) (\(value))"
        case .createPromise(let replica, let key, let value): "r\(replica) creates promise #\(key) (\(value))"
        case .edit(let replica, let record, let fields, let value): "r\(replica) edits #\(record) fields \(fields) (\(value))"
        case .delete(let replica, let record): "r\(replica) deletes #\(record)"
        case .keepPromise(let replica, let record): "r\(replica) keeps promise #\(record)"
        case .cancelPromise(let replica, let record, _): "r\(replica) cancels promise #\(record)"
        case .resolve(let replica, let record, _, let deleteAgain): "r\(replica) resolves #\(record)\(deleteAgain ? " by deleting" : "")"
        case .sync(let replica, let faults, let rate): "r\(replica) syncs (faults \(faults), \(rate)%)"
        case .deliverDelayed(let index): "a delayed message arrives (\(index))"
        case .restartServer: "the server restarts"
        case .backupServer: "the operator backs the server's store up"
        case .restoreServer(let index): "the operator restores the server's store from backup \(index)"
        case .pushOmitting(let replica, let record, let pick): "r\(replica) pushes #\(record) leaving out value \(pick)"
        case .setShopSettings(let replica, let value): "r\(replica) sets the shop's settings (\(value))"
        }
    }
}

/// What one seed runs: how many laptops and which steps.
struct SimulationPlan: Sendable, CustomStringConvertible {
    let seed: UInt64
    let replicas: Int
    var steps: [SimulationStep]

    /// The plan a seed makes: 3 to 7 laptops and 20 to 100 steps, sync-heavy, with faults on most syncs.
    init(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        self.seed = seed
        replicas = Int.random(in: 3...7, using: &random)
        var steps: [SimulationStep] = []
        var records: [(key: Int, isPromise: Bool)] = []
        for _ in 0..<Int.random(in: 20...100, using: &random) {
            let replica = Int.random(in: 0..<replicas, using: &random)
            let value = Int.random(in: 0..<1_000_000, using: &random)
            let roll = Int.random(in: 0..<100, using: &random)
            if records.isEmpty || roll < 14 {
                let isPromise = Bool.random(using: &random)
                let key = steps.count
                records.append((key, isPromise))
                steps.append(
                    isPromise ? .createPromise(replica: replica, key: key, value: value) : .createCustomer(replica: replica, key: key, value: value)
                )
                continue
            }
            let record = records.randomElement(using: &random)!
            switch roll {
            case 14..<18: steps.append(.setShopSettings(replica: replica, value: value))
            case 18..<46: steps.append(.edit(replica: replica, record: record.key, fields: Int.random(in: 1...7, using: &random), value: value))
            case 46..<48: steps.append(.pushOmitting(replica: replica, record: record.key, pick: Int.random(in: 0..<8, using: &random)))
            case 48..<52: steps.append(.delete(replica: replica, record: record.key))
            case 52..<55 where record.isPromise: steps.append(.keepPromise(replica: replica, record: record.key))
            case 55..<57 where record.isPromise: steps.append(.cancelPromise(replica: replica, record: record.key, value: value))
            case 57..<62: steps.append(.resolve(replica: replica, record: record.key, value: value, deleteAgain: Bool.random(using: &random)))
            case 62..<95:
                let rate = [0, 10, 25, 50].randomElement(using: &random)!
                steps.append(.sync(replica: replica, faults: random.next(), faultRate: rate))
            case 95..<97: steps.append(.deliverDelayed(index: Int.random(in: 0..<8, using: &random)))
            case 97: steps.append(.restartServer)
            case 98: steps.append(.backupServer)
            case 99: steps.append(.restoreServer(index: Int.random(in: 0..<4, using: &random)))
            default: steps.append(.edit(replica: replica, record: record.key, fields: 1, value: value))
            }
        }
        self.steps = steps
    }

    init(seed: UInt64, replicas: Int, steps: [SimulationStep]) {
        self.seed = seed
        self.replicas = replicas
        self.steps = steps
    }

    var description: String {
        "seed \(seed), \(replicas) laptops, \(steps.count) steps:\n"
            + steps.enumerated().map { "  \($0.offset): \($0.element)" }.joined(separator: "\n")
    }
}
