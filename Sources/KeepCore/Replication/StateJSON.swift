public import Foundation

extension RecordState {
    /// The state as JSON, in one canonical spelling: members sorted by the bytes of their names, no spaces.
    ///
    /// This is the JSON of MERGE.md §7, as `JSONDecoder` reads it back to an equal state. Stores keep every record in
    /// it, and a sync writes one per changed record: `JSONEncoder`'s generic containers cost a fifth of a merge's CPU,
    /// where this writes bytes straight from the state.
    public var canonicalJSON: Data {
        var writer = JSONWriter()
        writer.bytes.reserveCapacity(256 + fields.count * 96)
        writer.raw("{\"context\":")
        writer.vector(context)
        writer.raw(",\"fields\":{")
        for (index, name) in fields.keys.sorted(by: JSONWriter.byteOrder).enumerated() {
            if index > 0 { writer.raw(",") }
            writer.string(name)
            writer.raw(":[")
            for (entryIndex, entry) in (fields[name]?.entries ?? []).enumerated() {
                if entryIndex > 0 { writer.raw(",") }
                writer.entry(entry)
            }
            writer.raw("]")
        }
        writer.raw("},\"id\":")
        writer.string(id.rawValue)
        writer.raw(",\"kind\":")
        writer.string(kind.rawValue)
        writer.raw(",\"tombstones\":[")
        for (index, tombstone) in tombstones.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.tombstone(tombstone)
        }
        writer.raw("]}")
        return Data(writer.bytes)
    }
}

/// Appends JSON tokens as UTF-8 bytes.
private struct JSONWriter {
    var bytes: [UInt8] = []

    static func byteOrder(_ lhs: String, _ rhs: String) -> Bool { lhs.utf8.lexicographicallyPrecedes(rhs.utf8) }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0x00..<0x20:
                raw("\\u00")
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    mutating func integer(_ value: Int64) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            // The magnitude of Int64.min does not fit an Int64, but does fit a UInt64.
            unsigned(value.magnitude)
        } else {
            unsigned(UInt64(value))
        }
    }

    mutating func unsigned(_ value: UInt64) {
        guard value >= 10 else {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        var rest = value
        while rest > 0 {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        }
        bytes.append(contentsOf: digits.reversed())
    }

    mutating func dot(_ dot: Dot) {
        raw("{\"counter\":")
        unsigned(dot.counter)
        raw(",\"replica\":")
        string(dot.replica.rawValue)
        raw("}")
    }

    mutating func vector(_ vector: VersionVector) {
        raw("{")
        for (index, entry) in vector.counters.sorted(by: { Self.byteOrder($0.key.rawValue, $1.key.rawValue) }).enumerated() {
            if index > 0 { raw(",") }
            string(entry.key.rawValue)
            raw(":")
            unsigned(entry.value)
        }
        raw("}")
    }

    mutating func entry(_ entry: FieldEntry) {
        stamp(at: entry.at, by: entry.by, dot: entry.dot)
        raw(",\"value\":")
        value(entry.value)
        raw("}")
    }

    mutating func tombstone(_ tombstone: Tombstone) {
        stamp(at: tombstone.at, by: tombstone.by, dot: tombstone.dot)
        raw(",\"seen\":")
        vector(tombstone.seen)
        raw("}")
    }

    /// Opens the object of a write (a value or a delete) with the members both carry, in canonical order.
    private mutating func stamp(at: Int64, by: String, dot: Dot) {
        raw("{\"at\":")
        integer(at)
        raw(",\"by\":")
        string(by)
        raw(",\"dot\":")
        self.dot(dot)
    }

    mutating func value(_ value: FieldValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): flag ? raw("true") : raw("false")
        case .integer(let number): integer(number)
        case .text(let text): string(text)
        }
    }
}
