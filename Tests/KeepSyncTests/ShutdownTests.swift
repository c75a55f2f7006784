import Foundation
import KeepCore
import KeepProtocol
import KeepTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A stopping server waits for requests in flight a bounded time, never for a client that stalls its upload.
@Suite("Shutdown")
struct ShutdownTests {
    @Test("SIGTERM with a stalled upload in flight: the server stops after its drain, and a new one takes the address")
    func aStalledUploadDoesNotHoldTheServer() async throws {
        let server = try ServerProcess()
        server.keepsData = true
        defer { try? FileManager.default.removeItem(atPath: server.data) }
        let token = try await server.enroll(tenant: "kafeneio", device: "counter")
        // Headers promising a megabyte, a few bytes of it, then nothing more for two minutes.
        let headers = [
            "POST /v1/push HTTP/1.1", "Host: 127.0.0.1", "Authorization: Bearer \(token)", "Keep-Protocol: 1",
            "Keep-Schema: \(ProtocolVersion.schema)",
            "Content-Type: application/json", "Content-Length: 1000000", "", "{\"replica\":",
        ].joined(separator: "\\r\\n")
        let stalled = Process()
        stalled.executableURL = URL(fileURLWithPath: "/bin/sh")
        stalled.arguments = ["-c", "(printf '\(headers)'; sleep 120) | openssl s_client -quiet -connect 127.0.0.1:\(server.port)"]
        stalled.standardOutput = FileHandle.nullDevice
        stalled.standardError = FileHandle.nullDevice
        let upload = try ChildProcess(starting: stalled)
        defer { upload.send(SIGKILL) }
        try await Task.sleep(for: .seconds(2))

        let stopping = Date()
        kill(server.process.processIdentifier, SIGTERM)
        // Against a hang only: the drain is 10 s, then 5 s of cancellation; a busy machine adds to both.
        while server.process.isRunning, Date().timeIntervalSince(stopping) < 90 {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(!server.process.isRunning, "the server still waits for the stalled upload after 90 s")
        if server.process.isRunning { kill(server.process.processIdentifier, SIGKILL) }

        let next = try ServerProcess(data: server.data, port: server.port)
        #expect(next.port == server.port, "the address was free again")
        next.stop()
    }
}
