import KeepTenancy
import Synchronization

/// Facts a handler learns (such as the shop a token belongs to) that the request log, further out, writes down.
///
/// A reference shared by every copy of one request's context, so that what inner middleware learns is
/// visible to outer middleware after the handler returns.
final class RequestNotes: Sendable {
    private let tenantSlug = Mutex<TenantSlug?>(nil)

    var tenant: TenantSlug? {
        get { tenantSlug.withLock { $0 } }
        set { tenantSlug.withLock { $0 = newValue } }
    }
}
