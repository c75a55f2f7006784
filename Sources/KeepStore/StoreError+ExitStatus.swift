public import KeepCore

extension ExitStatus {
    /// The status that carries a store's failure, the same for `keep` and `keep-server`.
    public init(_ error: StoreError) {
        self =
            switch error.category {
            case .notFound: .noInput
            case .invalidInput, .rejected, .damaged: .dataError
            case .unavailable: .temporaryFailure
            case .permission: .noPermission
            case .internalFailure: .software
            }
    }
}
