public import KeepCore

/// What one pushed record may hold (PROTOCOL.md §6). Far beyond what a shop writes, and beyond the command
/// line's own limits (a note of 20,000 characters is at most 80 KB), they bound what a broken or hostile
/// client can make the server keep and every laptop download.
public enum RecordLimits {
    public static let maxFields = 64
    public static let maxFieldNameBytes = 64
    /// Concurrent values of one field: more than a shop has ever had devices.
    public static let maxEntriesPerField = 256
    public static let maxTombstones = 256
    public static let maxContextReplicas = 4_096
    /// A text value, in UTF-8 bytes.
    public static let maxTextBytes = 131_072
    /// The name of who wrote a value, in UTF-8 bytes.
    public static let maxAuthorBytes = 1_024
    /// A whole record as JSON, in bytes: an eighth of a request body, so that a push or pull page of one record
    /// always fits, and a client that pages by bytes always makes progress.
    public static let maxRecordBytes = 2 << 20
    /// The largest counter: 2^53 − 1, the integers every JSON reader holds exactly.
    public static let maxCounter: UInt64 = (1 << 53) - 1

    /// What in `record` is over a limit, in words for the person reading the error; nil when it is within them.
    public static func violation(in record: RecordState) -> String? {
        let id = record.id
        if record.fields.count > maxFields { return "record \(id) has \(record.fields.count) fields, over the limit of \(maxFields)" }
        if record.tombstones.count > maxTombstones {
            return "record \(id) has \(record.tombstones.count) deletes, over the limit of \(maxTombstones)"
        }
        if let problem = violation(in: record.context, of: id) { return problem }
        for (name, register) in record.fields {
            if name.utf8.isEmpty || name.utf8.count > maxFieldNameBytes {
                return "record \(id) has a field name of \(name.utf8.count) bytes: field names have 1 to \(maxFieldNameBytes)"
            }
            if register.entries.count > maxEntriesPerField {
                return "field \(name) of record \(id) has \(register.entries.count) values, over the limit of \(maxEntriesPerField)"
            }
            for entry in register.entries {
                if case .text(let text) = entry.value, text.utf8.count > maxTextBytes {
                    return "field \(name) of record \(id) holds \(text.utf8.count) bytes of text, over the limit of \(maxTextBytes) per value"
                }
                if entry.by.utf8.count > maxAuthorBytes { return "an author's name in record \(id) is over \(maxAuthorBytes) bytes" }
            }
        }
        for tombstone in record.tombstones {
            if tombstone.by.utf8.count > maxAuthorBytes { return "an author's name in record \(id) is over \(maxAuthorBytes) bytes" }
            if let problem = violation(in: tombstone.seen, of: id) { return problem }
        }
        // Encoded only when a bound on its size, cheap to count, says it might be too large.
        if largestJSONBytes(of: record) > maxRecordBytes, case let bytes = record.canonicalJSON.count, bytes > maxRecordBytes {
            return "record \(id) is \(bytes) bytes as JSON, over the limit of \(maxRecordBytes) per record"
        }
        return nil
    }

    /// At least the size of the record's JSON: every text counted as if each byte needed a six-byte escape, and
    /// each entry, tombstone and counter with room for its numbers and punctuation.
    private static func largestJSONBytes(of record: RecordState) -> Int {
        let perCounter = 48
        let perWrite = 160
        var bytes = 256 + record.context.counters.count * perCounter
        for (name, register) in record.fields {
            bytes += name.utf8.count * 6 + 16
            for entry in register.entries {
                bytes += perWrite + entry.by.utf8.count * 6
                if case .text(let text) = entry.value { bytes += text.utf8.count * 6 }
            }
        }
        for tombstone in record.tombstones {
            bytes += perWrite + tombstone.by.utf8.count * 6 + tombstone.seen.counters.count * perCounter
        }
        return bytes
    }

    private static func violation(in vector: VersionVector, of id: RecordID) -> String? {
        if vector.counters.count > maxContextReplicas {
            return "record \(id) names \(vector.counters.count) replicas, over the limit of \(maxContextReplicas)"
        }
        if let (replica, counter) = vector.counters.first(where: { $0.value > maxCounter }) {
            return "record \(id) claims counter \(counter) of replica \(replica), beyond the largest, \(maxCounter)"
        }
        return nil
    }
}
