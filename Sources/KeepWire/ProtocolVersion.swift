/// The versions a client and a server must agree on before syncing.
///
/// `protocol` is the shape of the HTTP messages; `schema` is the set of record kinds and fields a
/// replica understands. Both travel in the `Keep-Protocol` and `Keep-Schema` request headers.
public enum ProtocolVersion {
    /// The protocol version this build speaks.
    public static let current = 1
    /// The oldest protocol version this build still accepts from a peer.
    public static let oldestSupported = 1
    /// The record schema version this build reads and writes.
    ///
    /// 2 added purchases, surveys and the purchase of an automatic follow-up. 3 added a note's `waitingSince`, which
    /// pauses the reply clock: a laptop of schema 2 would show a paused inquiry as late, so it is told to upgrade.
    public static let schema = 4
    /// The oldest record schema version this build accepts from a peer.
    public static let oldestSchema = 4

    public static let protocolHeader = "Keep-Protocol"
    public static let schemaHeader = "Keep-Schema"

    /// Checks a client's versions on the server side: too old or too new gets an error that says which side to upgrade.
    public static func check(clientProtocol: Int?, clientSchema: Int?) throws(SyncError) {
        guard let clientProtocol, let clientSchema else {
            throw SyncError.badRequest("send the \(protocolHeader) and \(schemaHeader) headers, e.g. \(protocolHeader): \(current)")
        }
        if clientProtocol < oldestSupported || clientSchema < oldestSchema {
            throw SyncError.upgradeClient(
                "this keep speaks protocol \(clientProtocol), schema \(clientSchema); the server needs at least protocol \(oldestSupported), schema \(oldestSchema): upgrade keep on this laptop"
            )
        }
        if clientProtocol > current || clientSchema > schema {
            throw SyncError.upgradeServer(
                "this keep speaks protocol \(clientProtocol), schema \(clientSchema); the server knows at most protocol \(current), schema \(schema): ask the server's operator to upgrade keep-server"
            )
        }
    }
}
