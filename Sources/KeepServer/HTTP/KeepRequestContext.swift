public import Hummingbird
import KeepProtocol
public import KeepTenancy
public import NIOCore

/// What one request carries through the middleware and handlers: the authenticated device, once known.
public struct KeepRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Where the request came from, for rate limits by address.
    public let remoteAddress: SocketAddress?
    /// The device the bearer token belongs to; set by ``DeviceAuthenticator`` on every `/v1` route.
    public var device: AuthenticatedDevice?
    /// Facts learned on the way in, for the request log written on the way out.
    let notes = RequestNotes()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Bodies are read with this limit; a larger one gets 413.
    public var maxUploadSize: Int { SyncService.limits.maxBodyBytes }

    /// The device that sent the request; only `/v1` handlers call it, after ``DeviceAuthenticator``.
    func requireDevice() throws -> AuthenticatedDevice {
        guard let device else { throw SyncError.unauthorized }
        return device
    }
}
