public import Hummingbird

/// The server's routes and their methods: the API surface `Sync/openapi.yaml` describes, and what tells a
/// wrong method (405) from an unknown path (404).
public enum ServerRoutes {
    public static let allowedMethods: [String: [HTTPRequest.Method]] = [
        "/healthz": [.get],
        "/metrics": [.get],
        "/v1/enroll": [.post],
        "/v1/hello": [.get],
        "/v1/push": [.post],
        "/v1/pull": [.get],
    ]
}
