public import CompressNIO
public import Foundation
import NIOCore

/// The `Content-Encoding: gzip` of request and response bodies (PROTOCOL.md §2), with the body limit
/// applied to the decompressed size, so that a small compressed body cannot expand without bound.
public enum Gzip {
    /// Bodies smaller than this are sent as they are: compressing them saves nothing worth the time.
    public static let worthwhileBytes = 1_024

    public static func compress(_ data: Data) -> Data {
        var buffer = ByteBuffer(bytes: data)
        // Compressing into a buffer sized for the worst case cannot overflow.
        // The fastest level: pull pages are compressed on the server's CPU while the laptop waits, and JSON of
        // record states shrinks about sevenfold even so.
        let fastest = ZlibConfiguration(compressionLevel: .fastestCompression)
        guard let compressed = try? buffer.compress(with: .gzip(configuration: fastest)) else { return data }
        return Data(compressed.readableBytesView)
    }

    /// Decompresses `data`, refusing (as ``SyncError/tooLarge(_:)``) anything that expands past `limit` bytes,
    /// and (as ``SyncError/badRequest(_:)``) anything that is not whole, valid gzip.
    ///
    /// Decompresses in fixed chunks and counts as it goes (compress-nio's `maxSize` bounds each buffer it
    /// allocates, not the total), so a bomb is stopped after `limit` bytes, not after it has filled memory.
    public static func decompress(_ data: Data, limit: Int) throws(SyncError) -> Data {
        var input = ByteBuffer(bytes: data)
        var output = Data()
        let decompressor = CompressionAlgorithm.gzip().decompressor
        do {
            try decompressor.startStream()
            while true {
                var chunk = ByteBuffer()
                chunk.reserveCapacity(64 << 10)
                do {
                    try input.decompressStream(to: &chunk, with: decompressor)
                    output.append(contentsOf: chunk.readableBytesView)
                    break
                } catch let error as CompressNIOError where error == .bufferOverflow {
                    output.append(contentsOf: chunk.readableBytesView)
                }
                guard output.count <= limit else { throw SyncError.tooLarge(expandsPast(limit)) }
            }
            try decompressor.finishStream()
        } catch let error as SyncError {
            try? decompressor.finishStream()
            throw error
        } catch {
            try? decompressor.finishStream()
            throw SyncError.badRequest("the body is marked Content-Encoding: gzip but is not valid gzip: send it compressed, or without that header")
        }
        guard output.count <= limit else { throw SyncError.tooLarge(expandsPast(limit)) }
        return output
    }

    private static func expandsPast(_ limit: Int) -> String {
        "the body expands past the limit of \(limit) bytes: send fewer records per push"
    }

    /// Whether an `Accept-Encoding` header value accepts gzip (and does not refuse it with `q=0`).
    public static func isAccepted(by acceptEncoding: String?) -> Bool {
        guard let acceptEncoding else { return false }
        return acceptEncoding.split(separator: ",").contains { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard parts.first == "gzip" || parts.first == "*" else { return false }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0
        }
    }
}
