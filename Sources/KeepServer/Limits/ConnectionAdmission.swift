import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// Which connections the server keeps: every new one is let in, and room is made by closing the oldest connections
/// that have not yet sent a whole request head (idle, stalled in the TLS handshake, or a slowloris).
///
/// A connection is *proven* once its first request head is decoded. Unproven connections are bounded per client
/// address and in all, and each gets ``Bounds/headerTimeout`` to prove itself; proven connections are bounded only
/// by the total and the idle timeout. So 2,000 idle connections and a slowloris from one address cost the server a
/// few dozen files, and `/healthz` and every shop's syncs, which send their request at once, are still served.
final class ConnectionAdmission: Sendable {
    struct Bounds: Sendable, Hashable {
        /// Connections that have not sent a request head yet, from one address.
        var unprovenPerAddress = 64
        /// Connections that have not sent a request head yet, from everywhere.
        var unproven = 1_024
        /// All connections; past it a new one is refused when no unproven one is left to close.
        var total = 8_192
        /// How long a connection has to send its first request head, its TLS handshake included.
        var headerTimeout: Duration = .seconds(10)
    }

    let bounds: Bounds
    private let state = Mutex(State())

    private struct Entry {
        let channel: any Channel
        let address: String
        var proven = false
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        /// Unproven connections, oldest first.
        var unproven: [ObjectIdentifier] = []
        var closedForRoom = 0
    }

    init(bounds: Bounds = Bounds()) {
        self.bounds = bounds
    }

    /// Takes in a new connection, closing the oldest unproven ones it displaces; false when it must be refused.
    func admit(_ channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        let (admitted, displaced) = state.withLock { state -> (Bool, [any Channel]) in
            var displaced: [any Channel] = []
            func closeOldestUnproven(where matches: (Entry) -> Bool) -> Bool {
                guard let index = state.unproven.firstIndex(where: { state.entries[$0].map(matches) ?? false }) else { return false }
                if let entry = state.entries.removeValue(forKey: state.unproven.remove(at: index)) { displaced.append(entry.channel) }
                return true
            }
            while state.unproven.filter({ state.entries[$0]?.address == address }).count >= bounds.unprovenPerAddress,
                closeOldestUnproven(where: { $0.address == address })
            {}
            while state.unproven.count >= bounds.unproven || state.entries.count >= bounds.total, closeOldestUnproven(where: { _ in true }) {}
            guard state.entries.count < bounds.total else { return (false, displaced) }
            state.entries[id] = Entry(channel: channel, address: address)
            state.unproven.append(id)
            state.closedForRoom += displaced.count
            return (true, displaced)
        }
        for channel in displaced { channel.close(promise: nil) }
        guard admitted else { return false }
        channel.closeFuture.whenComplete { [self] _ in forget(id) }
        let timeout = TimeAmount(bounds.headerTimeout)
        channel.eventLoop.scheduleTask(in: timeout) { [self] in
            if state.withLock({ $0.entries[id]?.proven == false }) { channel.close(promise: nil) }
        }
        return true
    }

    /// Marks a connection as having sent a request head.
    func prove(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        state.withLock { state in
            guard state.entries[id]?.proven == false else { return }
            state.entries[id]?.proven = true
            state.unproven.removeAll { $0 == id }
        }
    }

    /// Connections open now, and how many were closed to make room since the server started.
    var counts: (open: Int, unproven: Int, closedForRoom: Int) {
        state.withLock { ($0.entries.count, $0.unproven.count, $0.closedForRoom) }
    }

    private func forget(_ id: ObjectIdentifier) {
        state.withLock { state in
            guard state.entries.removeValue(forKey: id) != nil else { return }
            state.unproven.removeAll { $0 == id }
        }
    }
}

/// The server's child channel with admission in front: a connection is admitted before its TLS handshake starts.
struct AdmittedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let admission: ConnectionAdmission

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard admission.admit(channel) else {
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
        }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Marks its connection proven at the first request part it sees, which comes after the head is decoded.
final class RequestHeadSeen: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    let admission: ConnectionAdmission

    init(admission: ConnectionAdmission) {
        self.admission = admission
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        admission.prove(context.channel)
        context.fireChannelRead(data)
    }
}
