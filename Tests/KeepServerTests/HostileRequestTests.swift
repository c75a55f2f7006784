import Foundation
import KeepCore
import KeepProtocol
import KeepServer
import NIOCore
import NIOHTTP1
import Testing

/// Requests a broken or hostile device might send, well formed enough to reach the server's checks: each gets a
/// clear 4xx and changes nothing.
@Suite("Hostile requests")
struct HostileRequestTests {
    /// A shop with one customer already synced, the device's token, and the laptop that wrote it.
    private func shop(_ server: TestServer) async throws -> (token: String, laptop: Laptop, customer: RecordState) {
        try server.createTenant("corner-shop")
        let token = try server.addDevice("laptop", to: "corner-shop")
        var laptop = Laptop()
        let customer = laptop.newCustomer("Μαρία Παπαδοπούλου")
        #expect(try await server.push(laptop.push([customer]), token: token).status == 200)
        return (token, laptop, customer)
    }

    private func pushBody(_ server: TestServer, _ body: String, token: String) async throws -> TestResponse {
        try await server.send(.POST, "/v1/push", token: token, body: ByteBuffer(string: body))
    }

    /// The JSON of a push of `records`, as text to tamper with.
    private func json(_ laptop: Laptop, _ records: [RecordState]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(laptop.push(records)), as: UTF8.self)
    }

    @Test("writes under another device's replica id, a rewritten own write, and a counter beyond 2^53 − 1 are refused")
    func forgedDots() async throws {
        try await TestServer.run { server in
            let (token, laptop, customer) = try await shop(server)
            let before = try await server.pullAll(token: token)

            var other = Laptop()
            let forged = other.newCustomer("Mallory")
            let underAnotherReplica = try await server.push(laptop.push([forged]), token: token)
            #expect(underAnotherReplica.status == 422)
            #expect(try underAnotherReplica.error().message.contains(forged.id.rawValue))

            // The same dot as the synced name, with another value: a write changed after the fact.
            let rewritten = try json(laptop, [customer]).replacingOccurrences(of: "Μαρία Παπαδοπούλου", with: "Mallory")
            let rewrite = try await pushBody(server, rewritten, token: token)
            #expect(rewrite.status == 422)
            #expect(try rewrite.error().message.contains("reuses write"), "\(rewrite.text)")

            var jumping = customer
            var jumper = laptop
            jumper.write(["phone": .text("+30 210 000 0000")], to: &jumping)
            let counter = "\"counter\":\(jumping.context[laptop.replica])"
            let huge = try json(laptop, [jumping]).replacingOccurrences(of: counter, with: "\"counter\":9007199254740993")
                .replacingOccurrences(of: "\"\(laptop.replica)\":\(jumping.context[laptop.replica])", with: "\"\(laptop.replica)\":9007199254740993")
            let beyond = try await pushBody(server, huge, token: token)
            #expect(beyond.status == 413)
            #expect(try beyond.error().message.contains("beyond the largest"), "\(beyond.text)")

            #expect(try await server.pullAll(token: token) == before)
        }
    }

    @Test("a text value over 128 KiB, too many fields and an over-long field name get 413 naming the limit")
    func oversizedRecords() async throws {
        try await TestServer.run { server in
            let (token, shopLaptop, _) = try await shop(server)
            var laptop = shopLaptop
            let before = try await server.pullAll(token: token)

            var longNote = RecordState(id: .random(), kind: .note)
            laptop.write(["text": .text(String(repeating: "Καλημέρα ", count: 10_000))], to: &longNote)
            let long = try await server.push(laptop.push([longNote]), token: token)
            #expect(long.status == 413)
            #expect(try long.error().message.contains("per value"))

            var wide = RecordState(id: .random(), kind: .customer)
            laptop.write(Dictionary(uniqueKeysWithValues: (0..<65).map { ("f\($0)", FieldValue.integer(Int64($0))) }), to: &wide)
            #expect(try await server.push(laptop.push([wide]), token: token).error().message.contains("limit of 64"))

            var named = RecordState(id: .random(), kind: .customer)
            laptop.write([String(repeating: "x", count: 65): .text("y")], to: &named)
            let longName = try await server.push(laptop.push([named]), token: token)
            #expect(longName.status == 413)
            #expect(try longName.error().message.contains("field name"))

            #expect(try await server.pullAll(token: token) == before)
        }
    }

    @Test("deeply nested JSON, invalid UTF-8 and members the protocol does not define get 400 naming the problem")
    func malformedShapes() async throws {
        try await TestServer.run { server in
            let (token, laptop, customer) = try await shop(server)
            let before = try await server.pullAll(token: token)

            let nested = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
            let deep = try await pushBody(server, "{\"replica\": \"\(laptop.replica)\", \"records\": \(nested)}", token: token)
            #expect(deep.status == 400)
            #expect(try deep.error().error == "malformed_json")

            var invalid = Data(try json(laptop, [customer]).utf8)
            let name = Data("Μαρία".utf8)
            let range = try #require(invalid.range(of: name))
            invalid.replaceSubrange(range, with: [0xCE, 0xFF, 0xC0, 0x80])
            let utf8 = try await server.send(.POST, "/v1/push", token: token, body: ByteBuffer(bytes: invalid))
            #expect(utf8.status == 400)
            #expect(try utf8.error().error == "malformed_json")

            let plain = try json(laptop, [customer])
            let unknownMembers = [
                ("top", plain.replacingOccurrences(of: "{\"records\"", with: "{\"admin\":true,\"records\"")),
                ("record", plain.replacingOccurrences(of: "\"context\"", with: "\"tenant\":\"other-shop\",\"context\"")),
                ("entry", plain.replacingOccurrences(of: "\"dot\"", with: "\"trusted\":true,\"dot\"")),
            ]
            for (level, body) in unknownMembers {
                #expect(body != plain, "the \(level) tampering applies")
                let response = try await pushBody(server, body, token: token)
                #expect(response.status == 400, "\(level): \(response.text)")
                #expect(try response.error().message.contains("there is no member"), "\(level): \(response.text)")
            }
            #expect(try await server.pullAll(token: token) == before)
        }
    }

    @Test("a cursor from another shop gets 400 and none of that shop's records")
    func foreignCursor() async throws {
        try await TestServer.run { server in
            let (token, _, _) = try await shop(server)
            try server.createTenant("bakery")
            let bakeryToken = try server.addDevice("front", to: "bakery")
            var baker = Laptop()
            #expect(try await server.push(baker.push([baker.newCustomer("Jonas Petraitis")]), token: bakeryToken).status == 200)
            let bakeryPage: PullResponse = try await server.pull(token: bakeryToken).decode()
            let response = try await server.pull(token: token, cursor: bakeryPage.cursor)
            #expect(response.status == 400)
            #expect(try response.error().error == "bad_cursor")
            #expect(!response.text.contains("Jonas"))
        }
    }
}
