import Foundation
import HTTPTypes
import KeepCore
import KeepProtocol
import KeepServer
import KeepTestSupport
import NIOCore
import NIOHTTP1
import Testing

/// `Sync/openapi.yaml` and the server agree: the same paths with the same methods, and every documented
/// operation is answered by the running server (not 404 or 405).
@Suite("OpenAPI agreement")
struct OpenAPIAgreementTests {
    @Test("the spec's paths and methods are exactly the server's routes")
    func sameRoutes() throws {
        let documented = try OpenAPIPaths.parse(Self.specText())
        let folder = TemporaryFolder()
        let served = try ServerRoutes.served(over: folder.dataRoot).allowedMethods.mapValues { Set($0.map { $0.rawValue.lowercased() }) }
        #expect(documented == served)
    }

    @Test("every documented operation reaches a handler on a live server")
    func everyOperationIsServed() async throws {
        let documented = try OpenAPIPaths.parse(Self.specText())
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            for (path, methods) in documented {
                for method in methods {
                    let response = try await server.send(HTTPMethod(rawValue: method.uppercased()), path, token: token)
                    #expect(![404, 405].contains(response.status), "\(method) \(path) answered \(response.status)")
                }
            }
        }
    }

    @Test("the record kinds are the model's")
    func kinds() throws {
        let kind = try OpenAPIBlock.line(try Self.specText(), under: ["components", "schemas", "RecordState", "properties"], key: "kind")
        #expect(OpenAPIBlock.list(in: kind) == RecordKind.allCases.map(\.rawValue))
    }

    @Test("the Keep-Protocol and Keep-Schema examples are the versions this build speaks")
    func versionExamples() throws {
        let spec = try Self.specText()
        let protocolExample = try OpenAPIBlock.line(spec, under: ["components", "parameters", "KeepProtocol", "schema"], key: "example")
        let schemaExample = try OpenAPIBlock.line(spec, under: ["components", "parameters", "KeepSchema", "schema"], key: "example")
        #expect(protocolExample == "example: \(ProtocolVersion.current)")
        #expect(schemaExample == "example: \(ProtocolVersion.schema)")
    }

    @Test("hello's documented members are the wire type's, and a live hello sends every required one")
    func helloMembers() async throws {
        let spec = try Self.specText()
        let documented = Set(try OpenAPIBlock.keys(spec, under: ["components", "schemas", "HelloResponse", "properties"]))
        let required = Set(OpenAPIBlock.list(in: try OpenAPIBlock.line(spec, under: ["components", "schemas", "HelloResponse"], key: "required")))
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            let response = try await server.send(.GET, "/v1/hello", token: token)
            let hello: HelloResponse = try response.decode()
            let members = Set(Mirror(reflecting: hello).children.compactMap(\.label))
            #expect(documented == members, "openapi.yaml's HelloResponse and KeepWire's HelloResponse differ")
            let sent = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
            #expect(required.isSubset(of: sent.keys), "a live hello lacks \(required.subtracting(sent.keys))")
            #expect(Set(sent.keys).isSubset(of: documented))
        }
    }

    @Test("every documented Content-Encoding of a push is accepted, and another one is refused with 400 bad_request")
    func contentEncodings() async throws {
        let line = try OpenAPIBlock.line(try Self.specText(), under: ["paths", "/v1/push", "post", "parameters"], key: "enum")
        let encodings = OpenAPIBlock.list(in: line)
        #expect(Set(encodings) == ["gzip", "identity"])
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            var laptop = Laptop()
            for encoding in encodings + ["br"] {
                let json = try JSONEncoder().encode(laptop.push([laptop.newCustomer("Ada")]))
                let body = encoding == "gzip" ? Gzip.compress(json) : json
                let response = try await server.send(
                    .POST,
                    "/v1/push",
                    token: token,
                    body: ByteBuffer(bytes: body),
                    headers: [("Content-Encoding", encoding)]
                )
                if encoding == "br" {
                    #expect(response.status == 400)
                    #expect(try response.error().error == "bad_request")
                } else {
                    #expect(response.status == 200, "\(encoding): \(response.text)")
                }
            }
        }
    }

    @Test("a value that is no field value is 400 malformed_json; a state not well formed is 422; a value of another kind is kept")
    func badValues() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            var laptop = Laptop()
            let good = laptop.newCustomer("Ada")
            let json = String(decoding: try JSONEncoder().encode(laptop.push([good])), as: UTF8.self)
            for bad in ["10.5", "[1]", "{\"a\": 1}", "18446744073709551616"] {
                let body = json.replacingOccurrences(of: "\"Ada\"", with: bad)
                let response = try await server.send(.POST, "/v1/push", token: token, body: ByteBuffer(string: body))
                #expect(response.status == 400, "\(bad): \(response.text)")
                #expect(try response.error().error == "malformed_json")
            }
            var uncovered = RecordState(id: .random(), kind: .customer)
            uncovered.write(["name": .text("Eve")], dot: Dot(replica: laptop.replica, counter: 99), at: 1, by: "eve")
            let notWellFormed = RecordState(id: uncovered.id, kind: .customer, context: VersionVector(), fields: uncovered.fields, tombstones: [])
            let refused = try await server.push(laptop.push([notWellFormed]), token: token)
            #expect(refused.status == 422)
            #expect(try refused.error().error == "rejected_record")
            var unreadable = RecordState(id: .random(), kind: .customer)
            laptop.write(["name": .integer(42), "createdAt": .integer(1)], to: &unreadable)
            let kept = try await server.push(laptop.push([unreadable]), token: token)
            #expect(try kept.decode(PushResponse.self).changed == 1)
            #expect(try await server.pullAll(token: token).contains(unreadable))
        }
    }

    private static func specText() throws -> String {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/", !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            folder.deleteLastPathComponent()
        }
        return try String(contentsOf: folder.appendingPathComponent("Sync/openapi.yaml"), encoding: .utf8)
    }
}

/// The `paths` of an OpenAPI document written in block style: `  /path:` then `    method:` lines.
enum OpenAPIPaths {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    static func parse(_ yaml: String) throws -> [String: Set<String>] {
        var paths: [String: Set<String>] = [:]
        var inPaths = false
        var current: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if !line.hasPrefix(" "), !line.isEmpty {
                inPaths = line == "paths:"
                current = nil
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                let path = String(line.dropFirst(2).dropLast())
                paths[path] = []
                current = path
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let current {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if methods.contains(String(key)) { paths[current, default: []].insert(String(key)) }
            }
        }
        guard !paths.isEmpty else { throw Malformed(description: "openapi.yaml has no paths") }
        return paths
    }
}

/// Lines of an OpenAPI document written in block style, found by their keys' nesting.
enum OpenAPIBlock {
    /// The lines nested under `path`, each key looked for inside the block of the one before.
    static func lines(_ yaml: String, under path: [String]) throws -> [String] {
        var block = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var depth = -1
        for key in path {
            guard let start = block.firstIndex(where: { indent($0) > depth && trimmed($0).hasPrefix(key + ":") }) else {
                throw OpenAPIPaths.Malformed(description: "openapi.yaml has no \(path.joined(separator: "."))")
            }
            depth = indent(block[start])
            block = Array(block[(start + 1)...].prefix { $0.trimmingCharacters(in: .whitespaces).isEmpty || indent($0) > depth })
        }
        return block
    }

    /// The keys one level inside `path`.
    static func keys(_ yaml: String, under path: [String]) throws -> [String] {
        let block = try lines(yaml, under: path).filter { !trimmed($0).isEmpty }
        guard let depth = block.map(indent).min() else { return [] }
        return block.filter { indent($0) == depth }.compactMap { $0.split(separator: ":").first.map { trimmed(String($0)) } }
    }

    /// The first line inside `path` that starts with `key:`, trimmed.
    static func line(_ yaml: String, under path: [String], key: String) throws -> String {
        guard let line = try lines(yaml, under: path).map(trimmed).first(where: { $0.hasPrefix(key + ":") }) else {
            throw OpenAPIPaths.Malformed(description: "openapi.yaml has no \(key) in \(path.joined(separator: "."))")
        }
        return line
    }

    /// The items of the first flow list (`[a, b]`) in `line`.
    static func list(in line: String) -> [String] {
        guard let open = line.firstIndex(of: "["), let close = line[open...].firstIndex(of: "]") else { return [] }
        return line[line.index(after: open)..<close].split(separator: ",").map { trimmed(String($0)) }
    }

    private static func indent(_ line: String) -> Int { line.prefix { $0 == " " }.count }

    private static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespaces) }
}
