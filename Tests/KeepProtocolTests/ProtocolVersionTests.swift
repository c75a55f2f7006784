import KeepProtocol
import Testing

/// `ProtocolVersion.check`: the server's judgement of a client's `Keep-Protocol` and `Keep-Schema` headers.
@Suite struct ProtocolVersionTests {
    @Test func theCurrentVersionsPass() throws {
        try ProtocolVersion.check(clientProtocol: ProtocolVersion.current, clientSchema: ProtocolVersion.schema)
        try ProtocolVersion.check(clientProtocol: ProtocolVersion.oldestSupported, clientSchema: ProtocolVersion.oldestSchema)
    }

    @Test(arguments: zip([nil, 1, nil] as [Int?], [1, nil, nil] as [Int?]))
    func missingHeadersAreABadRequest(_ clientProtocol: Int?, _ clientSchema: Int?) {
        let error = check(clientProtocol, clientSchema)
        #expect(error?.code == .badRequest)
        #expect(error?.httpStatus == 400)
        #expect(error?.message.contains("Keep-Protocol") == true && error?.message.contains("Keep-Schema") == true)
    }

    @Test func aTooOldClientIsToldToUpgradeItself() {
        for (protocolVersion, schema) in [
            (ProtocolVersion.oldestSupported - 1, ProtocolVersion.schema), (ProtocolVersion.current, ProtocolVersion.oldestSchema - 1),
        ] {
            let error = check(protocolVersion, schema)
            #expect(error?.code == .upgradeClient)
            #expect(error?.httpStatus == 426)
            #expect(error?.message.contains("upgrade keep on this laptop") == true)
        }
    }

    @Test func aTooNewClientIsToldToUpgradeTheServer() {
        for (protocolVersion, schema) in [
            (ProtocolVersion.current + 1, ProtocolVersion.schema), (ProtocolVersion.current, ProtocolVersion.schema + 1),
        ] {
            let error = check(protocolVersion, schema)
            #expect(error?.code == .upgradeServer)
            #expect(error?.httpStatus == 426)
            #expect(error?.message.contains("upgrade keep-server") == true)
        }
    }

    @Test func theHeadersAreNamedAsTheSpecSays() {
        #expect(ProtocolVersion.protocolHeader == "Keep-Protocol")
        #expect(ProtocolVersion.schemaHeader == "Keep-Schema")
    }

    private func check(_ clientProtocol: Int?, _ clientSchema: Int?) -> SyncError? {
        do {
            try ProtocolVersion.check(clientProtocol: clientProtocol, clientSchema: clientSchema)
            return nil
        } catch {
            return error
        }
    }
}
