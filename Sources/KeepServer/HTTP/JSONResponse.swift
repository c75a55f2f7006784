import Foundation
import Hummingbird
import KeepProtocol

/// Every answer the server gives is JSON, gzip-compressed when the client accepts it and it is worth it.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, for request: Request? = nil) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        var data = try encoder.encode(value)
        var headers: HTTPFields = [.contentType: "application/json"]
        if let request, data.count >= Gzip.worthwhileBytes {
            headers[.vary] = "Accept-Encoding"
            if Gzip.isAccepted(by: request.headers[.acceptEncoding]) {
                data = Gzip.compress(data)
                headers[.contentEncoding] = "gzip"
            }
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
