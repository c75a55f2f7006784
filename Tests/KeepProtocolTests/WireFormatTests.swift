import Foundation
import KeepCore
import KeepProtocol
import Testing

/// The JSON of the messages, and `Sync/PROTOCOL.md` kept honest about it: its examples decode into the Swift types
/// and encode back to the same JSON, and its table lists every error code with its status.
@Suite struct WireFormatTests {
    private let serverReplica = ReplicaID("5e5e5e5e5e5e5e5e")!
    private let device = ReplicaID("a1a1a1a1a1a1a1a1")!

    @Test func theMessagesHaveTheDocumentedMembers() throws {
        let limits = SyncService.limits
        let hello = HelloResponse(
            tenant: "corner-shop",
            device: "front-desk",
            serverReplica: serverReplica,
            deviceReplica: device,
            storeEpoch: "0",
            limits: limits
        )
        #expect(
            try members(hello) == [
                "protocolVersion", "oldestProtocol", "schema", "oldestSchema", "tenant", "device", "serverReplica", "deviceReplica", "storeEpoch",
                "limits",
            ]
        )
        #expect(try members(limits) == ["maxPushRecords", "maxPullRecords", "maxBodyBytes"])
        let unbound = HelloResponse(
            tenant: "corner-shop",
            device: "front-desk",
            serverReplica: serverReplica,
            deviceReplica: nil,
            storeEpoch: nil,
            limits: limits
        )
        #expect(!(try members(unbound)).contains("deviceReplica"), "before the first push the member is absent")
        #expect(try members(PushRequest(replica: device, records: [])) == ["replica", "records"])
        #expect(try members(PushResponse(received: 1, changed: 1, conflicted: 0)) == ["received", "changed", "conflicted"])
        #expect(try members(PullResponse(records: [], cursor: "5e5e5e5e5e5e5e5e.0", more: false)) == ["records", "cursor", "more"])
        #expect(try members(SyncError.badRequest("m").body) == ["error", "message"])
    }

    @Test func anUnboundHelloMayCarryAnExplicitNull() throws {
        let json = """
            {"protocolVersion": 1, "oldestProtocol": 1, "schema": 1, "tenant": "corner-shop", "device": "front-desk",
             "serverReplica": "5e5e5e5e5e5e5e5e", "deviceReplica": null,
             "limits": {"maxPushRecords": 1000, "maxPullRecords": 1000, "maxBodyBytes": 16777216}}
            """
        #expect(try JSONDecoder().decode(HelloResponse.self, from: Data(json.utf8)).deviceReplica == nil)
    }

    @Test func everyExampleInTheSpecIsAValidMessage() throws {
        let examples = SpecExamples.parse(try Repository.text("Sync/PROTOCOL.md"))
        let types = Set(examples.map(\.type))
        #expect(
            types.isSuperset(of: ["HelloResponse", "PushRequest", "PushResponse", "PullResponse", "ErrorBody", "EnrollRequest", "EnrollResponse"]),
            "\(types)"
        )
        for example in examples {
            let data = Data(example.json.utf8)
            let again: Data
            switch example.type {
            case "HelloResponse": again = try reencode(HelloResponse.self, data)
            case "PushRequest": again = try reencode(PushRequest.self, data)
            case "PushResponse": again = try reencode(PushResponse.self, data)
            case "PullResponse": again = try reencode(PullResponse.self, data)
            case "ErrorBody": again = try reencode(ErrorBody.self, data)
            case "RecordState": again = try reencode(RecordState.self, data)
            case "EnrollRequest": again = try reencode(EnrollRequest.self, data)
            case "EnrollResponse": again = try reencode(EnrollResponse.self, data)
            default:
                Issue.record("PROTOCOL.md line \(example.line): unknown example type \(example.type)")
                continue
            }
            #expect(try canonical(again) == canonical(data), "PROTOCOL.md line \(example.line): \(example.type) does not survive decoding")
            if example.type == "PushRequest" {
                let request = try JSONDecoder().decode(PushRequest.self, from: data)
                let wellFormed = request.records.allSatisfy { $0.isWellFormed }
                #expect(wellFormed, "PROTOCOL.md line \(example.line): a record is not well formed")
            }
        }
    }

    @Test func theSpecListsEveryErrorCodeWithItsStatus() throws {
        let spec = try Repository.text("Sync/PROTOCOL.md")
        let openAPI = try Repository.text("Sync/openapi.yaml")
        for (code, status) in ErrorCatalog.statuses {
            #expect(spec.contains("| `\(code.rawValue)` | \(status) |"), "PROTOCOL.md has no row for \(code.rawValue) (\(status))")
            #expect(openAPI.contains(code.rawValue), "openapi.yaml does not mention \(code.rawValue)")
        }
    }

    @Test func theSpecStatesTheLimitsAndHeadersOfThisBuild() throws {
        let spec = try Repository.text("Sync/PROTOCOL.md")
        #expect(spec.contains("`\(ProtocolVersion.protocolHeader): \(ProtocolVersion.current)`"))
        #expect(spec.contains("`\(ProtocolVersion.schemaHeader): \(ProtocolVersion.schema)`"))
        let limits = SyncService.limits
        #expect(spec.contains("| `maxPushRecords` | \(limits.maxPushRecords) |"))
        #expect(spec.contains("| `maxPullRecords` | \(limits.maxPullRecords) |"))
        #expect(spec.contains("| `maxBodyBytes` | \(limits.maxBodyBytes) |"))
    }

    /// The member names of `value`'s JSON object, in the order the type declares them.
    private func members(_ value: some Encodable) throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(value)) as? [String: Any] ?? [:]
        let order = [
            "protocolVersion", "oldestProtocol", "schema", "oldestSchema", "tenant", "device", "serverReplica", "deviceReplica", "storeEpoch",
            "limits",
            "maxPushRecords",
            "maxPullRecords", "maxBodyBytes", "replica", "records", "received", "changed", "conflicted", "cursor", "more", "error", "message",
        ]
        return object.keys.sorted { (order.firstIndex(of: $0) ?? .max, $0) < (order.firstIndex(of: $1) ?? .max, $1) }
    }

    private func reencode<T: Codable>(_ type: T.Type, _ data: Data) throws -> Data {
        try JSONEncoder().encode(try JSONDecoder().decode(type, from: data))
    }

    /// The JSON with sorted keys and no insignificant whitespace, so that two texts of one value compare equal.
    private func canonical(_ data: Data) throws -> String {
        let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }
}

/// The JSON examples of a Markdown spec: a fenced `json` block right after a line `<!-- example: TypeName -->`.
enum SpecExamples {
    struct Example {
        let type: String
        let json: String
        /// The line of the marker, for messages.
        let line: Int
    }

    static func parse(_ markdown: String) -> [Example] {
        let lines = markdown.components(separatedBy: "\n")
        var examples: [Example] = []
        var index = 0
        while index < lines.count {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("<!-- example:"), line.hasSuffix("-->"), index + 1 < lines.count, lines[index + 1].hasPrefix("```json") {
                let type = line.dropFirst("<!-- example:".count).dropLast("-->".count).trimmingCharacters(in: .whitespaces)
                var body: [String] = []
                var end = index + 2
                while end < lines.count, !lines[end].hasPrefix("```") {
                    body.append(lines[end])
                    end += 1
                }
                examples.append(Example(type: type, json: body.joined(separator: "\n"), line: index + 1))
                index = end
            }
            index += 1
        }
        return examples
    }
}
