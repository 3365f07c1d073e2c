import Glibc
public import Storage
import Testing
import TransportClient

/// The backends every storage behaviour is tested on: the in-memory table, a real SQLite file and DynamoDB's wire
/// protocol against `moto_server` (the DynamoDB case is skipped, with its reason, when no moto is installed).
public enum TestBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case memory, sqlite, dynamodb

    public var description: String { rawValue }

    /// A new, empty table with `schema`; on DynamoDB its sort key is of `sortKeyType`.
    public func table(_ schema: KeySchema, sortKeyType: DynamoDBTable.KeyType = .string) async throws -> any Table {
        switch self {
        case .memory:
            return MemoryTable(schema: schema)
        case .sqlite:
            return try SQLiteTable(path: temporaryFolder() + "/db.sqlite", name: "t", schema: schema)
        case .dynamodb:
            let moto = try #require(MotoServer.shared, MotoServer.skipReason)
            let table = DynamoDBTable(name: "t\(newTableSuffix())", schema: schema, configuration: moto.configuration(),
                                      http: try HTTPClient())
            try await table.createIfMissing(partitionKeyType: .string, sortKeyType: schema.sortKey.map { _ in sortKeyType })
            return table
        }
    }
}

/// A new empty folder under /tmp.
public func temporaryFolder() -> String {
    var template = Array("/tmp/gatehouse-storage-XXXXXX".utf8CString)
    return String(cString: mkdtemp(&template)!)
}

/// A unique suffix for table names, so parallel tests never share a DynamoDB table.
public func newTableSuffix() -> String {
    String(UInt64.random(in: 0...UInt64.max), radix: 36)
}
