/// The exit statuses of `keep` and `keep-server`, from sysexits(3), so that scripts can tell bad input from a
/// missing file or a busy store.
public enum ExitStatus: Int32, Sendable {
    case usage = 64
    case dataError = 65
    case noInput = 66
    case unavailable = 69
    case software = 70
    case cannotCreate = 73
    case ioError = 74
    case temporaryFailure = 75
    case noPermission = 77
    case configuration = 78
    /// Stopped by Ctrl-C (128 + SIGINT, as shells report it).
    case interrupted = 130
}
