public import Foundation
public import KeepCore

/// A message that can be read straight from its JSON bytes (``StateJSONReader``), for the ones that carry many
/// record states.
public protocol DirectlyReadable {
    /// The message, or `Unreadable` when the bytes are outside what the direct reader takes.
    static func read(json data: Data) throws(StateJSONReader.Unreadable) -> Self
}

/// Decodes protocol messages: directly where the message allows it, else (or when the direct reader declines)
/// with `JSONDecoder`, which reads the rest and names what is wrong with a malformed message.
public enum WireJSON {
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if let readable = T.self as? any DirectlyReadable.Type, let message = (try? readable.read(json: data)) as? T {
            return message
        }
        return try JSONDecoder().decode(T.self, from: data)
    }
}

extension PullResponse: DirectlyReadable {
    public static func read(json data: Data) throws(StateJSONReader.Unreadable) -> PullResponse {
        var records: [RecordState]?
        var cursor: String?
        var more: Bool?
        return try StateJSONReader.object(data) { name, reader throws(StateJSONReader.Unreadable) in
            switch name {
            case "records" where records == nil: records = try reader.states()
            case "cursor" where cursor == nil: cursor = try reader.string()
            case "more" where more == nil: more = try reader.bool()
            default: throw StateJSONReader.Unreadable(offset: 0)
            }
        } then: { () throws(StateJSONReader.Unreadable) in
            guard let records, let cursor, let more else { throw StateJSONReader.Unreadable(offset: data.count) }
            return PullResponse(records: records, cursor: cursor, more: more)
        }
    }
}

extension PushRequest: DirectlyReadable {
    public static func read(json data: Data) throws(StateJSONReader.Unreadable) -> PushRequest {
        var replica: ReplicaID?
        var records: [RecordState]?
        return try StateJSONReader.object(data) { name, reader throws(StateJSONReader.Unreadable) in
            switch name {
            case "replica" where replica == nil:
                guard let id = ReplicaID(try reader.string()) else { throw StateJSONReader.Unreadable(offset: 0) }
                replica = id
            case "records" where records == nil: records = try reader.states()
            default: throw StateJSONReader.Unreadable(offset: 0)
            }
        } then: { () throws(StateJSONReader.Unreadable) in
            guard let replica, let records else { throw StateJSONReader.Unreadable(offset: data.count) }
            return PushRequest(replica: replica, records: records)
        }
    }
}
