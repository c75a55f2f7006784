public import GRDB
public import KeepCore

// The shop tables decode straight into the core's model types. Times are stored as
// milliseconds since 1970, as they travel in sync.

extension Customer: FetchableRecord {
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .millisecondsSince1970 }
}

extension Note: FetchableRecord {
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .millisecondsSince1970 }
}

extension Promise: FetchableRecord {
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .millisecondsSince1970 }
}

extension FollowUp: FetchableRecord {
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .millisecondsSince1970 }
}

extension Purchase: FetchableRecord {
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .millisecondsSince1970 }
}

extension Survey: FetchableRecord {
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .millisecondsSince1970 }
}

extension Money: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { cents.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Money? { Int64.fromDatabaseValue(dbValue).map(Money.init(cents:)) }
}

extension RecordID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> RecordID? {
        String.fromDatabaseValue(dbValue).flatMap(RecordID.init)
    }
}

extension Note.Kind: DatabaseValueConvertible {}
extension Note.Channel: DatabaseValueConvertible {}
extension Promise.Status: DatabaseValueConvertible {}
extension FollowUp.Status: DatabaseValueConvertible {}
