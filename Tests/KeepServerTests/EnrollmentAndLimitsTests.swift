import Foundation
import KeepCore
import KeepProtocol
import KeepStore
import KeepTenancy
import NIOCore
import NIOHTTP1
import Testing

@Suite("Enrollment codes and tenant limits")
struct EnrollmentAndLimitsTests {
    private func enroll(_ server: TestServer, code: String) async throws -> TestResponse {
        try await server.send(.POST, "/v1/enroll", body: ByteBuffer(bytes: try JSONEncoder().encode(EnrollRequest(code: code))))
    }

    @Test("an enrollment code becomes a working token once, typed in any case; a second use gets the same 401 as a wrong code")
    func codeWorksOnce() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let slug = TenantSlug("corner-shop")!
            let made = try server.admin.enrollmentCode(forDevice: "front desk", of: slug)
            #expect(made.code.description.count == 11 && made.code.description.dropFirst(5).first == "-")

            let typed = made.code.description.lowercased().replacingOccurrences(of: "-", with: " ")
            let enrolled: EnrollResponse = try await enroll(server, code: typed).decode()
            #expect(enrolled.tenant == "corner-shop" && enrolled.device == "front desk")
            let hello = try await server.hello(token: enrolled.token)
            #expect(hello.device == "front desk")

            let again = try await enroll(server, code: made.code.description)
            let wrong = try await enroll(server, code: "00000-00000")
            #expect(again.status == 401 && wrong.status == 401)
            #expect(again.body == wrong.body, "a used code and a wrong one are answered alike")
            #expect(try again.error().message.contains("keep-server device enroll"))
            #expect(try server.admin.devices(of: slug).map(\.name) == ["front desk"])
            let actions = try server.admin.tenant(slug).audit.map(\.action)
            #expect(actions.suffix(2) == ["device enroll-code", "device enroll"])
        }
    }

    @Test("an expired code, a suspended shop's code and a malformed body are refused and add no device")
    func refusedCodes() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let slug = TenantSlug("corner-shop")!
            let expired = try server.admin.enrollmentCode(forDevice: "old", of: slug, validFor: 60, now: Date().addingTimeInterval(-120))
            #expect(try await enroll(server, code: expired.code.description).status == 401)

            let pending = try server.admin.enrollmentCode(forDevice: "later", of: slug)
            try server.admin.suspend(slug)
            let suspended = try await enroll(server, code: pending.code.description)
            #expect(suspended.status == 403)
            #expect(try suspended.error().error == "suspended")

            let malformed = try await server.send(.POST, "/v1/enroll", body: ByteBuffer(string: "{\"kode\": 1}"))
            #expect(malformed.status == 400)
            #expect(try malformed.error().error == "malformed_json")
            let huge = try await server.send(.POST, "/v1/enroll", body: ByteBuffer(string: "{\"code\": \"\(String(repeating: "A", count: 4_000))\"}"))
            #expect(huge.status == 413)
            #expect(try server.admin.devices(of: slug).isEmpty)

            #expect(throws: KeepServerError.self) { try server.admin.enrollmentCode(forDevice: "x", of: slug, validFor: 3 * 24 * 3600) }
        }
    }

    @Test("guessing codes from one address is cut off with 429 and Retry-After after ten tries a minute")
    func guessingIsRateLimited() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let code = try server.admin.enrollmentCode(forDevice: "front desk", of: TenantSlug("corner-shop")!).code
            var statuses: [Int] = []
            for guess in 0..<12 {
                statuses.append(try await enroll(server, code: String(format: "%05d-00000", guess)).status)
            }
            #expect(statuses.prefix(10).allSatisfy { $0 == 401 })
            #expect(statuses.suffix(2) == [429, 429])
            let limited = try await enroll(server, code: code.description)
            #expect(limited.status == 429, "even the right code waits: the limit counts tries, not failures")
            #expect(try limited.error().message.contains("a minute"))
            #expect(Int(limited.headers.first(name: "Retry-After") ?? "") ?? 0 >= 1)
        }
    }

    @Test("a shop's device limit stops device add and enrollment with a message naming the limit")
    func deviceLimit() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let slug = TenantSlug("corner-shop")!
            try server.admin.setLimits(of: slug, maxDevices: 2)
            _ = try server.addDevice("one", to: "corner-shop")
            let code = try server.admin.enrollmentCode(forDevice: "two", of: slug)
            let other = try server.admin.enrollmentCode(forDevice: "three", of: slug)
            #expect(try await enroll(server, code: code.code.description).status == 200)
            let over = try await enroll(server, code: other.code.description)
            #expect(over.status == 403)
            #expect(try over.error().message.contains("--max-devices"))
            let error = #expect(throws: KeepServerError.self) { _ = try server.addDevice("four", to: "corner-shop") }
            #expect(error?.description.contains("its limit") == true)
            try server.admin.revokeDevice(named: "one", of: slug)
            _ = try server.addDevice("four", to: "corner-shop")
            #expect(try server.admin.devices(of: slug).filter { !$0.isRevoked }.map(\.name).sorted() == ["four", "two"])
        }
    }

    @Test("requests per minute per device: over the limit gets 429 naming it, and other devices go on")
    func requestsPerMinute() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            try server.admin.setLimits(of: TenantSlug("corner-shop")!, requestsPerMinute: 5)
            let busy = try server.addDevice("busy", to: "corner-shop")
            let calm = try server.addDevice("calm", to: "corner-shop")
            var statuses: [Int] = []
            for _ in 0..<7 { statuses.append(try await server.send(.GET, "/v1/hello", token: busy).status) }
            #expect(statuses == [200, 200, 200, 200, 200, 429, 429])
            let limited = try await server.send(.GET, "/v1/pull", token: busy)
            #expect(try limited.error().error == "too_many_requests")
            #expect(try limited.error().message.contains("requests per minute"))
            #expect(limited.headers.first(name: "Retry-After") != nil)
            #expect(try await server.send(.GET, "/v1/hello", token: calm).status == 200)
        }
    }

    @Test("a store at its size limit refuses pushes with 413 naming the limit, keeps serving pulls, and is not damaged")
    func storeSizeLimit() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let slug = TenantSlug("corner-shop")!
            let token = try server.addDevice("laptop", to: "corner-shop")
            var laptop = Laptop()
            try server.admin.setLimits(of: slug, maxStoreBytes: 1 << 20)
            var refused: TestResponse?
            for round in 0..<40 where refused == nil {
                let page = (0..<100).map { laptop.newCustomer("Σοφία \(round)-\($0) " + String(repeating: "Καλημέρα ", count: 40)) }
                let response = try await server.push(laptop.push(page), token: token)
                if response.status != 200 { refused = response }
            }
            let response = try #require(refused, "1 MiB is reached well within 40 pushes of 100 customers")
            #expect(response.status == 413)
            #expect(try response.error().message.contains("max store size"))
            #expect(try await server.pullAll(token: token).count % 100 == 0, "whole pushes only")
            #expect(try ReplicaStore.integrityProblems(at: server.dataRoot.storePath(of: slug)).isEmpty)
            try server.admin.setLimits(of: slug, reset: true)
            #expect(try await server.push(laptop.push([laptop.newCustomer("Jonas")]), token: token).status == 200)
        }
    }
}
