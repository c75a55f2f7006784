import AsyncHTTPClient
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Why a connection to a server failed, said in words a shop owner can act on, instead of the network library's
/// own ("SingleConnectionFailure(… errno: 111)").
public enum NetworkProblem {
    /// What went wrong reaching `host`:`port`, and what to check; nil for an error that is not about the connection.
    public static func describe(_ error: any Error, host: String, port: Int) -> String? {
        switch error {
        case let error as NIOConnectionError:
            // No connection was tried: the name resolved to no address.
            guard let failure = error.connectionErrors.first else { return unknownName(host) }
            return describe(failure.error, host: host, port: port) ?? describe(errno: ECONNREFUSED, host: host, port: port)
        case let error as IOError:
            return describe(errno: error.errnoCode, host: host, port: port)
        case let error as HTTPClientError where error == .connectTimeout:
            return "\(host) did not answer within the connection timeout: check the address and your network"
        case ChannelError.connectTimeout:
            return "\(host) did not answer within the connection timeout: check the address and your network"
        case is SocketAddressError:
            return unknownName(host)
        default:
            return nil
        }
    }

    private static func describe(errno code: Int32, host: String, port: Int) -> String {
        switch code {
        case ECONNREFUSED:
            "nothing answers on port \(port) at \(host) (connection refused): check the port, and that keep-server runs there"
        case ENETUNREACH, EHOSTUNREACH:
            "\(host) cannot be reached from this network: check your connection"
        case ETIMEDOUT:
            "\(host) did not answer: check the address and your network"
        case ECONNRESET:
            "\(host) closed the connection: check that port \(port) is keep-server's, not another program's"
        default:
            "the connection to \(host):\(port) failed (\(String(cString: strerror(code)))): check the address and your network"
        }
    }

    private static func unknownName(_ host: String) -> String {
        "the name \(host) is not known: check its spelling, and that this laptop is online"
    }
}
