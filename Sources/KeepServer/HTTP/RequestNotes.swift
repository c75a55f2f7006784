import KeepTenancy
import Synchronization

/// Facts a handler learns (the shop and device a token belongs to, what a sync moved, why a request was refused)
/// that the request log, further out, writes down.
///
/// A reference shared by every copy of one request's context, so that what inner middleware learns is
/// visible to outer middleware after the handler returns.
final class RequestNotes: Sendable {
    private struct State {
        var tenant: TenantSlug?
        var device: String?
        var counts: [(String, Int)] = []
        var refusal: String?
    }

    private let state = Mutex(State())

    var tenant: TenantSlug? {
        get { state.withLock { $0.tenant } }
        set { state.withLock { $0.tenant = newValue } }
    }

    /// The device's name, once its token is known.
    var device: String? {
        get { state.withLock { $0.device } }
        set { state.withLock { $0.device = newValue } }
    }

    /// Why the request was refused, in words for the operator (never the token).
    var refusal: String? {
        get { state.withLock { $0.refusal } }
        set { state.withLock { $0.refusal = newValue } }
    }

    /// What a sync moved, in the order noted: records received, changed, conflicted; records sent.
    var counts: [(String, Int)] { state.withLock { $0.counts } }

    func count(_ name: String, _ value: Int) {
        state.withLock { $0.counts.append((name, value)) }
    }
}
