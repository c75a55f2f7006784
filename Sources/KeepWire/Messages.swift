public import Foundation
public import KeepCore

/// `GET /v1/hello`: what the server speaks, and who the token belongs to.
public struct HelloResponse: Codable, Sendable, Hashable {
    /// The protocol version the server speaks.
    public let protocolVersion: Int
    /// The oldest protocol version the server still accepts: a client older than this must upgrade.
    public let oldestProtocol: Int
    /// The record schema the server reads and writes: a client never syncs with a newer one, whose fields it would drop (§4).
    public let schema: Int
    /// The shop the token belongs to.
    public let tenant: String
    /// The device the token was issued to.
    public let device: String
    /// The server's own replica id for this shop.
    public let serverReplica: ReplicaID
    /// The replica id this device is bound to (by its first push), or nil before then.
    public let deviceReplica: ReplicaID?
    /// Which life of the server's store this is: "0", then new each time the operator restores it from a
    /// backup. A client that synced with another epoch sends everything it holds again (§5.1).
    public let storeEpoch: String?
    /// What the server accepts in one request; a client keeps within it (§6).
    public let limits: Limits
    /// The oldest record schema the server accepts from a client; absent from servers older than the member (§4).
    public let oldestSchema: Int?
    /// The shop's stable id: never given to another shop, kept when its store is restored or replaced, so that a
    /// laptop tells its own shop's new store from another shop's (§5.1); absent from servers older than the member.
    public let shop: UUID?

    /// What the server accepts in one request.
    public struct Limits: Codable, Sendable, Hashable {
        /// Records in one push.
        public let maxPushRecords: Int
        /// Records in one pull page: the largest `limit` a pull may ask for.
        public let maxPullRecords: Int
        /// Bytes of one request body, counted after decompression.
        public let maxBodyBytes: Int

        public init(maxPushRecords: Int, maxPullRecords: Int, maxBodyBytes: Int) {
            self.maxPushRecords = maxPushRecords
            self.maxPullRecords = maxPullRecords
            self.maxBodyBytes = maxBodyBytes
        }
    }

    public init(
        tenant: String,
        device: String,
        serverReplica: ReplicaID,
        deviceReplica: ReplicaID?,
        storeEpoch: String?,
        limits: Limits,
        shop: UUID? = nil
    ) {
        self.protocolVersion = ProtocolVersion.current
        self.oldestProtocol = ProtocolVersion.oldestSupported
        self.schema = ProtocolVersion.schema
        self.oldestSchema = ProtocolVersion.oldestSchema
        self.tenant = tenant
        self.device = device
        self.serverReplica = serverReplica
        self.deviceReplica = deviceReplica
        self.storeEpoch = storeEpoch
        self.limits = limits
        self.shop = shop
    }
}

/// `POST /v1/push`: full states of records the device changed.
public struct PushRequest: Codable, Sendable, Hashable {
    /// The pushing device's replica id; every new dot in `records` must be this replica's.
    public let replica: ReplicaID
    /// Full states, at most `maxPushRecords` of them, each record at most once.
    public let records: [RecordState]

    public init(replica: ReplicaID, records: [RecordState]) {
        self.replica = replica
        self.records = records
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case replica, records
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(
            replica: try container.decode(ReplicaID.self, forKey: .replica),
            records: try container.decode([RecordState].self, forKey: .records)
        )
    }
}

/// The answer to a push, sent only once the merge is durable.
public struct PushResponse: Codable, Sendable, Hashable {
    /// How many records were received.
    public let received: Int
    /// How many of them changed the server's copy (0 for a replayed push).
    public let changed: Int
    /// How many of them hold a conflict after the merge.
    public let conflicted: Int

    public init(received: Int, changed: Int, conflicted: Int) {
        self.received = received
        self.changed = changed
        self.conflicted = conflicted
    }
}

/// `GET /v1/pull?cursor=C&limit=N`: records changed on the server since the cursor, oldest change first.
public struct PullResponse: Codable, Sendable, Hashable {
    /// Full states of the records changed since the cursor, at most the `limit` asked for.
    public let records: [RecordState]
    /// Where the next pull starts; store it with the merged page so that an interrupted sync resumes here.
    public let cursor: String
    /// Whether more pages follow.
    public let more: Bool

    public init(records: [RecordState], cursor: String, more: Bool) {
        self.records = records
        self.cursor = cursor
        self.more = more
    }
}

/// `POST /v1/enroll`: a new laptop trades an enrollment code from the operator for its own device token.
public struct EnrollRequest: Codable, Sendable, Hashable {
    /// The code as the operator gave it, e.g. `7KQ2M-XD9PH`.
    public let code: String

    public init(code: String) {
        self.code = code
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case code
    }

    public init(from decoder: any Decoder) throws {
        self.init(code: try decoder.strictContainer(keyedBy: CodingKeys.self).decode(String.self, forKey: .code))
    }
}

/// The answer to an enrollment: the device's token, which exists nowhere else.
public struct EnrollResponse: Codable, Sendable, Hashable {
    /// The shop the new device belongs to.
    public let tenant: String
    /// The device's name, as the operator enrolled it.
    public let device: String
    /// The device's token for every later request: shown only in this answer, so the laptop keeps it.
    public let token: String

    public init(tenant: String, device: String, token: String) {
        self.tenant = tenant
        self.device = device
        self.token = token
    }
}
