import Foundation
import KeepProtocol
import KeepTenancy
import NIOCore
import NIOHTTP1
import Testing

@Suite("Authentication")
struct AuthenticationTests {
    @Test("no, malformed, unknown and revoked tokens, and tokens of a removed shop, all get the same 401")
    func unauthorizedIsAlwaysTheSame() async throws {
        try await TestServer.run { server in
            try server.createTenant("shop-a")
            let revoked = try server.addDevice("old laptop", to: "shop-a")
            try server.admin.revokeDevice(named: "old laptop", of: TenantSlug("shop-a")!)
            let genuine = try server.addDevice("laptop", to: "shop-a")
            // The right device id with another secret.
            let forged = String(genuine.prefix(21)) + String(repeating: "A", count: 43)
            let unknown = "kw1_0123456789abcdef_" + String(repeating: "B", count: 43)

            var bodies: [String] = []
            for token in [nil, "", "kw1_", "Basic abc", "kw1_0123456789abcdef_short", forged, unknown, revoked] as [String?] {
                for path in ["/v1/hello", "/v1/pull"] {
                    let response = try await server.send(.GET, path, token: token)
                    #expect(response.status == 401, "\(path) with \(token ?? "no token")")
                    bodies.append(response.text)
                }
                let push = try await server.send(.POST, "/v1/push", token: token, body: .init(string: "{}"))
                #expect(push.status == 401)
                bodies.append(push.text)
            }
            #expect(Set(bodies).count == 1, "\(Set(bodies))")
            let error = try JSONDecoder().decode(ErrorBody.self, from: Data(bodies[0].utf8))
            #expect(error.error == "unauthorized")
            #expect(!error.message.contains("shop-a"))

            #expect(try await server.send(.GET, "/v1/hello", token: genuine).status == 200)
        }
    }

    @Test("a revoked device is refused at once, while the server runs")
    func revocationTakesEffectImmediately() async throws {
        try await TestServer.run { server in
            try server.createTenant("shop-a")
            let token = try server.addDevice("laptop", to: "shop-a")
            #expect(try await server.send(.GET, "/v1/hello", token: token).status == 200)
            try server.admin.revokeDevice(named: "laptop", of: TenantSlug("shop-a")!)
            let response = try await server.send(.GET, "/v1/hello", token: token)
            #expect(response.status == 401)
            #expect(try response.error() == SyncError.unauthorized.body)
        }
    }

    @Test("the scheme word is case-insensitive, the token is not")
    func bearerScheme() async throws {
        try await TestServer.run { server in
            try server.createTenant("shop-a")
            let token = try server.addDevice("laptop", to: "shop-a")
            let lower = try await server.send(.GET, "/v1/hello", headers: [("Authorization", "bearer \(token)")])
            #expect(lower.status == 200)
            let upper = try await server.send(.GET, "/v1/hello", headers: [("Authorization", "Bearer \(token.uppercased())")])
            #expect(upper.status == 401)
        }
    }

    @Test("the versions are checked before the token: a too-old client learns to upgrade even with a bad token")
    func versionsBeforeToken() async throws {
        try await TestServer.run { server in
            let response = try await server.send(.GET, "/v1/hello", token: "nonsense", versions: ("0", "1"))
            #expect(response.status == 426)
        }
    }
}
