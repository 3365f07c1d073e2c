import TransportClient
import Glibc
import Transport
import Synchronization

/// Which backend tables live in, chosen by environment: `GATEHOUSE_STORAGE` = `sqlite:PATH` | `dynamodb` | `memory`;
/// when unset, DynamoDB on Lambda (`AWS_LAMBDA_FUNCTION_NAME` set) and a SQLite file under the data folder
/// (`GATEHOUSE_DATA`, default `.gatehouse`) elsewhere.
public enum StorageBackend: Sendable, Equatable {
    case sqlite(path: String)
    case dynamodb
    case memory

    /// The backend the environment asks for; throws on an unknown `GATEHOUSE_STORAGE`.
    public static func fromEnvironment() throws(StorageError) -> StorageBackend {
        let value = ProcessEnvironment.nonEmptyValue
        return try parse(value("GATEHOUSE_STORAGE"), onLambda: value("AWS_LAMBDA_FUNCTION_NAME") != nil,
                         dataFolder: value("GATEHOUSE_DATA") ?? ".gatehouse")
    }

    static func parse(_ setting: String?, onLambda: Bool, dataFolder: String) throws(StorageError) -> StorageBackend {
        switch setting {
        case nil: return onLambda ? .dynamodb : .sqlite(path: dataFolder + "/gatehouse.sqlite")
        case "dynamodb": return .dynamodb
        case "memory": return .memory
        case let text? where text.hasPrefix("sqlite:") && text.count > 7: return .sqlite(path: String(text.dropFirst(7)))
        case let text?:
            throw StorageError(.invalidRequest, "GATEHOUSE_STORAGE must be sqlite:PATH, dynamodb or memory, not \(text)")
        }
    }

    /// Opens table `name` on this backend. Memory tables of the same name are shared within the process.
    public func openTable(name: String, schema: KeySchema) throws -> any Table {
        switch self {
        case .sqlite(let path):
            return try SQLiteTable(path: path, name: name, schema: schema)
        case .dynamodb:
            return DynamoDBTable(name: name, schema: schema, configuration: try AWSConfiguration.fromEnvironment(),
                                 http: try HTTPClient())
        case .memory:
            return MemoryTables.shared.withLock { tables in
                if let existing = tables[name] { return existing }
                let table = MemoryTable(schema: schema)
                tables[name] = table
                return table
            }
        }
    }
}

/// The process's memory tables by name.
private enum MemoryTables {
    static let shared = Mutex<[String: MemoryTable]>([:])
}
