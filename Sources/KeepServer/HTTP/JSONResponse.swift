import Foundation
import Hummingbird
import KeepProtocol

/// Every answer the server gives is JSON, gzip-compressed when the client accepts it and it is worth it.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, for request: Request? = nil) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return make(json: try encoder.encode(value), status: status, for: request)
    }

    /// A body that is JSON already (a pull page spliced from stored states).
    static func make(json data: Data, status: HTTPResponse.Status = .ok, for request: Request? = nil) -> Response {
        var data = data
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
