public import Foundation

/// Reads record states from JSON bytes directly, for the hot paths: a store reading its own records, a laptop
/// reading pull pages, the server reading pushes.
///
/// It reads a strict subset of what `JSONDecoder` reads through `RecordState`'s `Decodable` conformance, and when
/// it reads a state, the state is the one `JSONDecoder` would give. Anything else (an unknown or repeated member,
/// a number with a fraction or exponent, a missing member, a byte-order mark) makes it throw, and callers then ask
/// `JSONDecoder`, which either reads it too or says precisely what is wrong. `JSONDecoder`'s generic containers
/// were most of a first sync's decoding time; this walks the bytes once.
public struct StateJSONReader {
    /// The bytes could not be read here; `JSONDecoder` decides what they mean.
    public struct Unreadable: Error, Sendable {
        /// Where reading stopped, in bytes from the start.
        public let offset: Int

        public init(offset: Int) {
            self.offset = offset
        }
    }

    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// One record state, the whole of `data`.
    public static func state(_ data: Data) throws(Unreadable) -> RecordState {
        try read(data) { reader throws(Unreadable) in try reader.state() }
    }

    /// An object whose members are read by `member` (called with each name, which must read the value); the whole
    /// of `data`. For messages that hold record states: a pull page, a push.
    public static func object<Result>(
        _ data: Data,
        _ member: (_ name: String, _ reader: inout StateJSONReader) throws(Unreadable) -> Void,
        then result: () throws(Unreadable) -> Result
    ) throws(Unreadable) -> Result {
        try read(data) { reader throws(Unreadable) in
            try reader.members { name, reader throws(Unreadable) in try member(name, &reader) }
            return try result()
        }
    }

    private static func read<T>(_ data: Data, _ body: (inout StateJSONReader) throws(Unreadable) -> T) throws(Unreadable) -> T {
        let result: Result<T, Unreadable> = data.withUnsafeBytes { buffer in
            var reader = StateJSONReader(buffer)
            do throws(Unreadable) {
                let value = try body(&reader)
                reader.skipSpace()
                guard reader.index == buffer.count else { throw reader.unreadable }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    // MARK: - The shapes of MERGE.md §7

    /// A record state: `id`, `kind`, `context`, `fields` and `tombstones`, each exactly once.
    public mutating func state() throws(Unreadable) -> RecordState {
        var id: RecordID?
        var kind: RecordKind?
        var context: VersionVector?
        var fields: [String: FieldRegister]?
        var tombstones: [Tombstone]?
        try members { name, reader throws(Unreadable) in
            switch name {
            case "id" where id == nil: id = try reader.recordID()
            case "kind" where kind == nil:
                guard let value = RecordKind(rawValue: try reader.string()) else { throw reader.unreadable }
                kind = value
            case "context" where context == nil: context = try reader.vector()
            case "fields" where fields == nil:
                var registers: [String: FieldRegister] = [:]
                try reader.members { field, reader throws(Unreadable) in
                    guard registers[field] == nil else { throw reader.unreadable }
                    var entries: [FieldEntry] = []
                    try reader.elements { reader throws(Unreadable) in entries.append(try reader.entry()) }
                    registers[field] = FieldRegister(entries)
                }
                fields = registers
            case "tombstones" where tombstones == nil:
                var list: [Tombstone] = []
                try reader.elements { reader throws(Unreadable) in list.append(try reader.tombstone()) }
                tombstones = list
            default: throw reader.unreadable
            }
        }
        guard let id, let kind, let context, let fields, let tombstones else { throw unreadable }
        return RecordState(id: id, kind: kind, context: context, fields: fields, tombstones: tombstones)
    }

    /// An array of record states.
    public mutating func states() throws(Unreadable) -> [RecordState] {
        var states: [RecordState] = []
        try elements { reader throws(Unreadable) in states.append(try reader.state()) }
        return states
    }

    private mutating func entry() throws(Unreadable) -> FieldEntry {
        var dot: Dot?
        var value: FieldValue?
        var at: Int64?
        var by: String?
        try members { name, reader throws(Unreadable) in
            switch name {
            case "dot" where dot == nil: dot = try reader.dot()
            case "value" where value == nil: value = try reader.fieldValue()
            case "at" where at == nil: at = try reader.integer()
            case "by" where by == nil: by = try reader.string()
            default: throw reader.unreadable
            }
        }
        guard let dot, let value, let at, let by else { throw unreadable }
        return FieldEntry(dot: dot, value: value, at: at, by: by)
    }

    private mutating func tombstone() throws(Unreadable) -> Tombstone {
        var dot: Dot?
        var seen: VersionVector?
        var at: Int64?
        var by: String?
        try members { name, reader throws(Unreadable) in
            switch name {
            case "dot" where dot == nil: dot = try reader.dot()
            case "seen" where seen == nil: seen = try reader.vector()
            case "at" where at == nil: at = try reader.integer()
            case "by" where by == nil: by = try reader.string()
            default: throw reader.unreadable
            }
        }
        guard let dot, let seen, let at, let by else { throw unreadable }
        return Tombstone(dot: dot, seen: seen, at: at, by: by)
    }

    private mutating func dot() throws(Unreadable) -> Dot {
        var replica: ReplicaID?
        var counter: UInt64?
        try members { name, reader throws(Unreadable) in
            switch name {
            case "replica" where replica == nil: replica = try reader.replicaID()
            case "counter" where counter == nil: counter = try reader.unsigned()
            default: throw reader.unreadable
            }
        }
        guard let replica, let counter else { throw unreadable }
        return Dot(replica: replica, counter: counter)
    }

    private mutating func vector() throws(Unreadable) -> VersionVector {
        var counters: [ReplicaID: UInt64] = [:]
        try members { name, reader throws(Unreadable) in
            guard let replica = ReplicaID(name), counters[replica] == nil else { throw reader.unreadable }
            counters[replica] = try reader.unsigned()
        }
        return VersionVector(counters)
    }

    private mutating func fieldValue() throws(Unreadable) -> FieldValue {
        skipSpace()
        guard index < bytes.count else { throw unreadable }
        switch bytes[index] {
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "\""): return .text(try string())
        default: return .integer(try integer())
        }
    }

    private mutating func recordID() throws(Unreadable) -> RecordID {
        guard let id = RecordID(try string()) else { throw unreadable }
        return id
    }

    private mutating func replicaID() throws(Unreadable) -> ReplicaID {
        guard let id = ReplicaID(try string()) else { throw unreadable }
        return id
    }

    // MARK: - JSON tokens

    private var unreadable: Unreadable { Unreadable(offset: index) }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws(Unreadable) {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { throw unreadable }
        index += 1
    }

    /// Consumes `byte` if it comes next.
    private mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func literal(_ word: StaticString) throws(Unreadable) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw unreadable }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw unreadable }
        index += count
    }

    /// An object, each member's name handed to `member`, which reads its value.
    public mutating func members(_ member: (_ name: String, _ reader: inout StateJSONReader) throws(Unreadable) -> Void) throws(Unreadable) {
        try expect(UInt8(ascii: "{"))
        if take(UInt8(ascii: "}")) { return }
        repeat {
            skipSpace()
            let name = try string()
            try expect(UInt8(ascii: ":"))
            try member(name, &self)
        } while take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }

    /// An array, each element read by `element`.
    public mutating func elements(_ element: (_ reader: inout StateJSONReader) throws(Unreadable) -> Void) throws(Unreadable) {
        try expect(UInt8(ascii: "["))
        if take(UInt8(ascii: "]")) { return }
        repeat {
            try element(&self)
        } while take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
    }

    /// `true` or `false`.
    public mutating func bool() throws(Unreadable) -> Bool {
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    /// A string; its bytes must be valid UTF-8, and escapes the ones JSON defines.
    public mutating func string() throws(Unreadable) -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        // Most strings have no escape: they are their bytes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                guard let text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self) else {
                    throw unreadable
                }
                index += 1
                return text
            }
            guard byte >= 0x20 else { throw unreadable }
            if byte == UInt8(ascii: "\\") { break }
            index += 1
        }
        var unescaped = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: unescaped, as: UTF8.self) else { throw unreadable }
                return text
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw unreadable }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): unescaped.append(escape)
                case UInt8(ascii: "b"): unescaped.append(0x08)
                case UInt8(ascii: "f"): unescaped.append(0x0C)
                case UInt8(ascii: "n"): unescaped.append(0x0A)
                case UInt8(ascii: "r"): unescaped.append(0x0D)
                case UInt8(ascii: "t"): unescaped.append(0x09)
                case UInt8(ascii: "u"): unescaped.append(contentsOf: try unicodeEscape())
                default: throw unreadable
                }
            case 0x00..<0x20: throw unreadable
            default: unescaped.append(byte)
            }
        }
        throw unreadable
    }

    /// The scalar of `\uXXXX` (after the `\u`), a surrogate pair taking two, as UTF-8.
    private mutating func unicodeEscape() throws(Unreadable) -> [UInt8] {
        let first = try hexQuad()
        var value = first
        if (0xD800..<0xDC00).contains(first) {
            try literal("\\u")
            let second = try hexQuad()
            guard (0xDC00..<0xE000).contains(second) else { throw unreadable }
            value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else { throw unreadable }
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func hexQuad() throws(Unreadable) -> UInt32 {
        guard index + 4 <= bytes.count else { throw unreadable }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw unreadable
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// A whole number without fraction or exponent that fits 64 bits; `-0` is left to `JSONDecoder`.
    public mutating func integer() throws(Unreadable) -> Int64 {
        skipSpace()
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let magnitude = try digits()
        if negative {
            guard magnitude > 0, magnitude <= UInt64(Int64.max) + 1 else { throw unreadable }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw unreadable }
        return Int64(magnitude)
    }

    /// A whole number from 0 to 2^64 - 1.
    public mutating func unsigned() throws(Unreadable) -> UInt64 {
        skipSpace()
        return try digits()
    }

    private mutating func digits() throws(Unreadable) -> UInt64 {
        let start = index
        var value: UInt64 = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
            guard !overflow, !carry else { throw unreadable }
            value = sum
            index += 1
        }
        // JSON allows no leading zero; a fraction or an exponent is left to JSONDecoder.
        guard index > start, index - start == 1 || bytes[start] != UInt8(ascii: "0") else { throw unreadable }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) { throw unreadable }
        return value
    }
}
