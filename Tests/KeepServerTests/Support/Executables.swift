import Foundation
import KeepTestSupport

/// Runs `keep-server ARGUMENTS` to completion in `folder`, as an operator's shell would.
func keepServer(_ arguments: [String], in folder: String) async throws -> ProcessResult {
    try await runProcess(Executables.keepServer, arguments, environment: ["PATH": "/usr/bin:/bin", "HOME": folder], in: folder)
}
