import KeepTenancy
import KeepTestSupport

extension TemporaryFolder {
    /// A data root inside the folder, not yet created.
    var dataRoot: DataRoot { DataRoot(path + "/data") }
}
