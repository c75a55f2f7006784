import Foundation
import Hummingbird
import HummingbirdTesting
import KeepProtocol
import KeepServer
import KeepTenancy
import KeepTestSupport
import Testing

@Suite("With HummingbirdTesting")
struct HummingbirdTestingTests {
    @Test("buildApplication runs under app.test(.ahc(.https)): healthz, then a device's hello")
    func ahcOverTLS() async throws {
        let folder = TemporaryFolder()
        let admin = Administration(dataRoot: folder.dataRoot)
        try admin.createTenant(TenantSlug("corner-shop")!)
        let token = try admin.addDevice(named: "laptop", to: TenantSlug("corner-shop")!).token.text
        let app = try buildApplication(ServerConfiguration(dataRoot: folder.dataRoot, port: 0), logger: .quiet)
        try await app.test(.ahc(.https)) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
            let headers: HTTPFields = [
                .authorization: "Bearer \(token)",
                HTTPFields.Element.Name(ProtocolVersion.protocolHeader)!: String(ProtocolVersion.current),
                HTTPFields.Element.Name(ProtocolVersion.schemaHeader)!: String(ProtocolVersion.schema),
            ]
            try await client.execute(uri: "/v1/hello", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                let hello = try JSONDecoder().decode(HelloResponse.self, from: Data(response.body.readableBytesView))
                #expect(hello.tenant == "corner-shop")
            }
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
                let body = try JSONDecoder().decode(ErrorBody.self, from: Data(response.body.readableBytesView))
                #expect(body.error == "not_found")
            }
        }
    }
}
