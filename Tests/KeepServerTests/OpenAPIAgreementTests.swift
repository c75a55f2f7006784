import Foundation
import HTTPTypes
import KeepServer
import KeepTestSupport
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
