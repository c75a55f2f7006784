import AsyncHTTPClient
import Foundation
import HTTPTypes
import KeepCore
import KeepProtocol
import KeepServer
import NIOCore
import NIOHTTP1
import Testing

@Suite("Request errors")
struct RequestErrorTests {
    @Test("malformed JSON gets 400 with a message naming what is wrong")
    func malformedJSON() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            var laptop = Laptop()
            let good = try JSONEncoder().encode(laptop.push([laptop.newCustomer("Ada")]))
            let badID = String(decoding: good, as: UTF8.self).replacingOccurrences(of: "\"id\":\"", with: "\"id\":\"zz")
            let cases: [(body: String, says: String)] = [
                ("{", "not valid JSON"),
                ("[]", "the body"),
                (#"{"records": []}"#, "replica is missing"),
                (#"{"replica": "nothex", "records": []}"#, "replica is invalid"),
                (#"{"replica": "0123456789abcdef", "records": {}}"#, "records has the wrong type"),
                (badID, "records[0].id is invalid"),
            ]
            for (body, says) in cases {
                let response = try await server.send(.POST, "/v1/push", token: token, body: ByteBuffer(string: body))
                #expect(response.status == 400, "\(body)")
                let error = try response.error()
                #expect(error.error == "malformed_json")
                #expect(error.message.contains(says), "\(error.message)")
            }
            #expect(try await server.pullAll(token: token).isEmpty)
        }
    }

    @Test("a body over the limit gets 413, whether its length is declared or streamed")
    func tooLarge() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            let size = SyncService.limits.maxBodyBytes + 1
            let declared = try await server.send(.POST, "/v1/push", token: token, body: ByteBuffer(repeating: UInt8(ascii: " "), count: size))
            #expect(declared.status == 413)
            #expect(try declared.error().error == "too_large")

            // Chunked, with no length up front: the server stops reading at the limit.
            var request = HTTPClientRequest(url: server.url + "/v1/push")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: ProtocolVersion.protocolHeader, value: String(ProtocolVersion.current))
            request.headers.add(name: ProtocolVersion.schemaHeader, value: String(ProtocolVersion.schema))
            let chunk = ByteBuffer(repeating: UInt8(ascii: " "), count: 1 << 20)
            let chunks = AsyncStream<ByteBuffer> { continuation in
                for _ in 0...(size >> 20) { continuation.yield(chunk) }
                continuation.finish()
            }
            request.body = .stream(chunks, length: .unknown)
            let streamed = try await server.client.execute(request, timeout: .seconds(120))
            #expect(streamed.status.code == 413)
            let body = try await streamed.body.collect(upTo: 1 << 16)
            #expect(try JSONDecoder().decode(ErrorBody.self, from: Data(body.readableBytesView)).error == "too_large")
        }
    }

    @Test("too old and too new clients get 426 saying which side to upgrade; missing versions get 400")
    func versions() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            let old = try await server.send(
                .GET,
                "/v1/hello",
                token: token,
                versions: (String(ProtocolVersion.oldestSupported - 1), String(ProtocolVersion.schema))
            )
            #expect(old.status == 426)
            #expect(try old.error().error == "upgrade_client")
            #expect(try old.error().message.contains("upgrade keep on this laptop"))

            let newer = try await server.send(
                .GET,
                "/v1/pull",
                token: token,
                versions: (String(ProtocolVersion.current + 1), String(ProtocolVersion.schema))
            )
            #expect(newer.status == 426)
            #expect(try newer.error().error == "upgrade_server")
            #expect(try newer.error().message.contains("upgrade keep-server"))

            let newerSchema = try await server.send(.GET, "/v1/hello", token: token, versions: ("1", String(ProtocolVersion.schema + 1)))
            #expect(newerSchema.status == 426)
            #expect(try newerSchema.error().error == "upgrade_server")

            // A laptop of the first schema cannot read purchases and surveys: it is told to upgrade.
            let olderSchema = try await server.send(.GET, "/v1/pull", token: token, versions: ("1", "1"))
            #expect(olderSchema.status == 426)
            #expect(try olderSchema.error().error == "upgrade_client")
            #expect(try olderSchema.error().message.contains("schema 1"))

            let missing = try await server.send(.GET, "/v1/hello", token: token, versions: nil)
            #expect(missing.status == 400)
            #expect(try missing.error().message.contains(ProtocolVersion.protocolHeader))
            let garbled = try await server.send(.GET, "/v1/hello", token: token, versions: ("one", "1"))
            #expect(garbled.status == 400)
        }
    }

    @Test("a cursor of another shop, or a garbled one, gets 400; a limit must be a whole number in range")
    func pullArguments() async throws {
        try await TestServer.run { server in
            try server.createTenant("shop-a")
            try server.createTenant("shop-b")
            let a = try server.addDevice("laptop", to: "shop-a")
            let b = try server.addDevice("laptop", to: "shop-b")
            let cursorOfA = try await server.pull(token: a).decode(PullResponse.self).cursor
            let crossed = try await server.pull(token: b, cursor: cursorOfA)
            #expect(crossed.status == 400)
            #expect(try crossed.error().error == "bad_cursor")
            #expect(try await server.pull(token: b, cursor: "garbage").status == 400)
            #expect(try await server.send(.GET, "/v1/pull?limit=ten", token: b).status == 400)
            #expect(try await server.pull(token: b, limit: 0).status == 400)
            #expect(try await server.pull(token: b, limit: SyncService.limits.maxPullRecords + 1).status == 400)
            #expect(try await server.pull(token: b, limit: SyncService.limits.maxPullRecords).status == 200)
        }
    }

    @Test("unknown routes get 404 and wrong methods 405, both as JSON")
    func routing() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            let missing = try await server.send(.GET, "/v2/hello", token: token)
            #expect(missing.status == 404)
            #expect(try missing.error().error == "not_found")
            for (path, allowed) in try ServerRoutes.served(over: server.dataRoot).allowedMethods {
                let wrong: HTTPMethod = allowed.map(\.rawValue).contains("GET") ? .DELETE : .GET
                let response = try await server.send(wrong, path, token: token)
                #expect(response.status == 405, "\(wrong) \(path)")
                #expect(try response.error().error == "method_not_allowed")
                #expect(response.headers.first(name: "Allow") == allowed.map(\.rawValue).joined(separator: ", "))
            }
        }
    }

    @Test("more records than a push may carry get 413, and nothing is kept")
    func tooManyRecords() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            var laptop = Laptop()
            let records = (0...SyncService.limits.maxPushRecords).map { laptop.newCustomer("Customer \($0)") }
            let response = try await server.push(laptop.push(records), token: token)
            #expect(response.status == 413)
            #expect(try await server.pullAll(token: token).isEmpty)
        }
    }
}
