import Foundation
import KeepCore
import KeepProtocol
import KeepServer
import KeepTenancy
import NIOCore
import NIOHTTP1
import Testing

@Suite("Metrics")
struct MetricsTests {
    @Test("/metrics counts requests by route and status, merges, conflicts, open stores and auth failures, and names no shop")
    func countsWhatTheServerDid() async throws {
        try await TestServer.run { server in
            try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            var laptop = Laptop()
            _ = try await server.hello(token: token)
            let page = [laptop.newCustomer("Μαρία"), laptop.newCustomer("Jonas")]
            #expect(try await server.push(laptop.push(page), token: token).status == 200)
            #expect(try await server.send(.GET, "/v1/hello", token: "kw1_nope").status == 401)
            let badCode = ByteBuffer(bytes: try JSONEncoder().encode(EnrollRequest(code: "00000-00000")))
            #expect(try await server.send(.POST, "/v1/enroll", body: badCode).status == 401)
            #expect(try await server.send(.GET, "/no/such/path").status == 404)

            let response = try await server.send(.GET, "/metrics", versions: nil)
            #expect(response.status == 200)
            #expect(response.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)
            let text = response.text
            let values = Self.samples(text)
            #expect(values[#"keep_http_requests_total{route="/v1/hello",status="2xx"}"#] == 1)
            #expect(values[#"keep_http_requests_total{route="/v1/hello",status="4xx"}"#] == 1)
            #expect(values[#"keep_http_requests_total{route="/v1/push",status="2xx"}"#] == 1)
            #expect(values[#"keep_http_requests_total{route="other",status="4xx"}"#] == 1)
            #expect(values["keep_changes_merged_total"] == 2)
            #expect(values["keep_conflicts_total"] == 0)
            #expect(values["keep_open_tenant_stores"] == 1)
            #expect(values[#"keep_auth_failures_total{reason="token"}"#] == 1)
            #expect(values[#"keep_auth_failures_total{reason="enrollment_code"}"#] == 1)
            #expect(values[#"keep_request_duration_seconds_count{route="/v1/push"}"#] == 1)
            #expect(text.contains(#"keep_request_duration_seconds_bucket{route="/v1/push",le="0.05"}"#), "a latency histogram")
            #expect(!text.contains("corner-shop") && !text.contains("kw1_"), "nothing of any shop or token")
            #expect(!text.contains("/no/such/path"), "routes are labelled by the router's endpoint, never by the request's path")
        }
    }

    @Test("/metrics has a # HELP and # TYPE line for each metric, the build, the uptime, and how many shops and devices")
    func describesItselfAndCountsShopsAndDevices() async throws {
        try await TestServer.run { server in
            try server.createTenant("kafeneio")
            try server.createTenant("fournos")
            _ = try server.addDevice("anna-laptop", to: "kafeneio")
            _ = try server.addDevice("till", to: "fournos")
            try server.admin.revokeDevice(named: "till", of: TenantSlug("fournos")!)
            let text = try await server.send(.GET, "/metrics", versions: nil).text
            for expected in [
                "# HELP keep_changes_merged_total ", "# TYPE keep_changes_merged_total counter", "# HELP keep_request_duration_seconds ",
                "# HELP keep_auth_failures_total ", "keep_build_info{version=\"", "# TYPE keep_uptime_seconds gauge",
            ] {
                #expect(text.contains(expected), "/metrics lacks \(expected)")
            }
            #expect(Self.samples(text)["keep_shops"] == 2)
            #expect(Self.samples(text)["keep_devices"] == 1, "the revoked device is not counted")
            #expect((Self.samples(text)["keep_uptime_seconds"] ?? -1) >= 0)
        }
    }

    /// `name{labels} value` lines, by everything before the value.
    private static func samples(_ text: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        return values
    }
}
