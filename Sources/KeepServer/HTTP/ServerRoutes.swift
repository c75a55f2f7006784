public import Hummingbird
public import KeepTenancy
import Logging

/// The server's routes and their methods, as the router that serves them has them: the API surface
/// `Sync/openapi.yaml` describes, and what tells a wrong method (405) from an unknown path (404).
public struct ServerRoutes: Sendable {
    /// Each endpoint's path (`/v1/push`) with the methods it takes.
    public let allowedMethods: [String: [HTTPRequest.Method]]

    init(_ router: Router<KeepRequestContext>) {
        allowedMethods = Dictionary(grouping: router.routes) { $0.path.description }.mapValues { $0.map(\.method) }
    }

    /// The routes of a server over `dataRoot`, for the checks that hold the spec and the tests to them.
    public static func served(over dataRoot: DataRoot) throws(KeepServerError) -> ServerRoutes {
        let catalog = try dataRoot.openCatalog()
        defer { catalog.close() }
        let tenants = TenantPool(dataRoot: dataRoot, logger: Logger(label: "keep-server.routes"))
        return ServerRoutes(buildRouter(catalog: catalog, tenants: tenants, metrics: ServerMetrics()))
    }
}
