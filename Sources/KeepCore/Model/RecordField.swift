/// One field of a record kind, as Sync/SCHEMA.md states it: its wire name, what its value must be, whether a
/// record is readable without it, and the record schema version that added it.
///
/// Each model type lists its fields once (``RecordModel/fields``); the schema document, the reader's checks and
/// `keep check` follow that list, and a test holds the document to it.
public struct RecordField: Sendable, Hashable {
    public let name: String
    public let value: ValueKind
    /// A record without this field, or with a value of it that is not a ``value``, cannot be read.
    public let isRequired: Bool
    /// The record schema version (``ProtocolVersion/schema`` on the wire) that added the field.
    public let since: Int

    public init(_ name: String, _ value: ValueKind, required: Bool = false, since: Int = 1) {
        self.name = name
        self.value = value
        self.isRequired = required
        self.since = since
    }

    /// What a field's value must be for a reader to read it. Null stands for "none" in a field that is not required.
    public enum ValueKind: Sendable, Hashable, CustomStringConvertible {
        case text
        case integer
        /// An integer within the range.
        case integerIn(ClosedRange<Int64>)
        /// An integer: milliseconds since 1970 (UTC).
        case time
        /// A text holding the id of a record of that kind (32 lowercase hex digits).
        case record(RecordKind)
        /// A text that is one of these words.
        case choice([String])

        /// Choices from an enum's raw values, in their declared order.
        public static func choice<T: CaseIterable & RawRepresentable<String>>(of: T.Type) -> ValueKind {
            .choice(T.allCases.map(\.rawValue))
        }

        /// How Sync/SCHEMA.md writes it.
        public var description: String {
            switch self {
            case .text: "text"
            case .integer: "integer"
            case .integerIn(let range): "integer \(range.lowerBound) to \(range.upperBound)"
            case .time: "time"
            case .record(let kind): "id of a \(kind.rawValue)"
            case .choice(let words): "one of " + words.joined(separator: ", ")
            }
        }

        /// Whether `value` is one this kind reads.
        public func reads(_ value: FieldValue) -> Bool {
            switch (self, value) {
            case (.text, .text): true
            case (.integer, .integer), (.time, .integer): true
            case (.integerIn(let range), .integer(let number)): range.contains(number)
            case (.record, .text(let text)): RecordID(text) != nil
            case (.choice(let words), .text(let text)): words.contains(text)
            default: false
            }
        }
    }
}

/// Why a reader cannot read a record: the field that stops it, and what is wrong with it.
public struct FieldProblem: Sendable, Hashable, CustomStringConvertible {
    public let field: String
    public let reason: String

    public var description: String { "\(field): \(reason)" }
}

extension RecordKind {
    /// The kind's fields, from its model type.
    public var fields: [RecordField] {
        switch self {
        case .customer: Customer.fields
        case .note: Note.fields
        case .promise: Promise.fields
        case .followUp: FollowUp.fields
        case .purchase: Purchase.fields
        case .survey: Survey.fields
        case .shop: ShopSettings.fields
        }
    }

    /// The record schema version that added the kind.
    public var since: Int {
        switch self {
        case .customer, .note, .promise, .followUp: 1
        case .purchase, .survey: 2
        case .shop: 4
        }
    }

    /// The first required field of a live `record` that a reader cannot read, or nil when it can read them all.
    public func problem(reading record: RecordState) -> FieldProblem? {
        for field in fields where field.isRequired {
            guard let value = record.value(field.name) else { return FieldProblem(field: field.name, reason: "missing") }
            guard field.value.reads(value) else {
                return FieldProblem(field: field.name, reason: "\(Self.describe(value)) is not \(field.value.description.articled)")
            }
        }
        return nil
    }

    private static func describe(_ value: FieldValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "the boolean \(flag)"
        case .integer(let number): "the integer \(number)"
        case .text(let text): "the text \"\(text.count > 40 ? text.prefix(40) + "…" : text)\""
        }
    }
}

extension String {
    /// "a text", "an integer", "a time"; other descriptions ("one of …", "id of …") as they are.
    fileprivate var articled: String {
        switch self {
        case "text", "time": "a " + self
        case _ where hasPrefix("integer"): "an " + self
        case _ where hasPrefix("id of"): "the " + self
        default: self
        }
    }
}
