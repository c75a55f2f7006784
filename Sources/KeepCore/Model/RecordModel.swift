public import Foundation

/// A shop record type read off a replicated ``RecordState``.
public protocol RecordModel: Sendable {
    static var kind: RecordKind { get }
    var id: RecordID { get }
    /// The kind's fields, as Sync/SCHEMA.md lists them.
    static var fields: [RecordField] { get }
    /// Reads the model from the record's current values; nil when a required field is missing.
    init?(_ values: RecordValues)
}

extension RecordModel {
    /// Reads the model from a live record of its kind.
    public init?(record: RecordState) {
        guard record.kind == Self.kind, !record.isDeleted else { return nil }
        self.init(RecordValues(record))
    }
}

/// Typed access to the values people see in a record.
public struct RecordValues: Sendable {
    public let id: RecordID
    private let record: RecordState

    public init(_ record: RecordState) {
        self.id = record.id
        self.record = record
    }

    public func text(_ field: String) -> String? { record.value(field)?.text }

    public func integer(_ field: String) -> Int64? { record.value(field)?.integer }

    public func time(_ field: String) -> Date? { integer(field).map(Date.init(epochMilliseconds:)) }

    public func recordID(_ field: String) -> RecordID? { text(field).flatMap(RecordID.init) }

    public func choice<T: RawRepresentable<String>>(_ field: String, as: T.Type = T.self) -> T? { text(field).flatMap(T.init(rawValue:)) }
}

extension Date {
    /// Milliseconds since 1970, the unit times travel in.
    public var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    public init(epochMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(epochMilliseconds) / 1000)
    }
}

extension FieldValue {
    public static func time(_ date: Date) -> FieldValue { .integer(date.epochMilliseconds) }

    /// A text, or null for none.
    public static func optionalText(_ text: String?) -> FieldValue { text.map(FieldValue.text) ?? .null }

    public static func optionalTime(_ date: Date?) -> FieldValue { date.map(FieldValue.time) ?? .null }
}
