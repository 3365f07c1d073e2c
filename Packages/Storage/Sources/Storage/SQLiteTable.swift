import AWS
import CSQLite
import Glibc
import Synchronization

/// A table in an embedded SQLite file: the default off Lambda.
///
/// The file runs in WAL mode (readers never block the writer), one connection writes and a small pool reads,
/// statements are prepared once, and a busy timeout waits out other processes. Durability: `.processCrash`
/// (`synchronous=NORMAL`) keeps every acknowledged write through a crash or SIGKILL of the process (the WAL is in
/// the OS page cache); `.powerLoss` (`synchronous=FULL`) also survives power loss at one fsync per commit.
public final class SQLiteTable: Table {
    /// How much a committed write must survive.
    public enum Durability: Sendable {
        /// A crash or kill of the process (the default; `synchronous=NORMAL`).
        case processCrash
        /// A power loss or OS crash (`synchronous=FULL`, one fsync per commit).
        case powerLoss
    }

    public let schema: KeySchema
    private let sqlTable: String
    private let writer: Mutex<SQLiteConnection>
    private let readers: Mutex<[SQLiteConnection]>
    private let path: String
    private let durability: Durability
    private let busyTimeoutMilliseconds: Int32

    /// Opens (creating when needed) table `name` in the SQLite file at `path`, creating its folder too.
    /// `busyTimeoutMilliseconds` is how long a write waits for another process's lock before failing.
    public init(path: String, name: String, schema: KeySchema, durability: Durability = .processCrash,
                busyTimeoutMilliseconds: Int32 = 5000) throws(StorageError) {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || isalnum(Int32($0)) != 0 })
        else { throw StorageError(.invalidRequest, "table names use letters, digits, - and _") }
        try Self.createParentFolder(of: path)
        self.schema = schema
        self.path = path
        self.durability = durability
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.sqlTable = "\"items_\(name)\""
        let connection = try Self.open(path, durability: durability, busyTimeout: busyTimeoutMilliseconds)
        guard try connection.text("PRAGMA journal_mode=WAL")?.lowercased() == "wal" else {
            throw StorageError(.unavailable, "\(path) cannot use WAL mode")
        }
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(sqlTable) (pk BLOB NOT NULL, sk BLOB NOT NULL, item BLOB NOT NULL,
            PRIMARY KEY (pk, sk)) WITHOUT ROWID
            """)
        writer = Mutex(connection)
        readers = Mutex([])
    }

    private static func open(_ path: String, durability: Durability, busyTimeout: Int32) throws(StorageError) -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path, busyTimeoutMilliseconds: busyTimeout)
        try connection.execute("PRAGMA synchronous=\(durability == .powerLoss ? "FULL" : "NORMAL")")
        // Reads map the file (up to 256 MB) instead of copying each page through read(2): scans spent a fifth of
        // their time in the kernel. Writes still go through the WAL as before.
        try connection.execute("PRAGMA mmap_size=268435456")
        return connection
    }

    private static func createParentFolder(of path: String) throws(StorageError) {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        var folder = ""
        for part in path[..<slash].split(separator: "/", omittingEmptySubsequences: false) {
            folder += (folder.isEmpty && part.isEmpty) ? "/" : (folder.isEmpty || folder == "/" ? "" : "/") + part
            if !part.isEmpty && mkdir(folder, 0o700) != 0 && errno != EEXIST {
                throw StorageError(.unavailable, "cannot create folder \(folder)")
            }
        }
    }

    // MARK: - Reads

    private func read<T>(_ body: (SQLiteConnection) throws(StorageError) -> T) throws(StorageError) -> T {
        let connection: SQLiteConnection
        if let pooled = readers.withLock({ $0.popLast() }) {
            connection = pooled
        } else {
            connection = try Self.open(path, durability: durability, busyTimeout: busyTimeoutMilliseconds)
        }
        defer { readers.withLock { $0.append(connection) } }
        return try body(connection)
    }

    public func get(_ key: ItemKey) async throws -> Item? {
        try schema.validate(key)
        return try read { connection throws(StorageError) in
            let statement = try connection.prepared("SELECT item FROM \(sqlTable) WHERE pk = ?1 AND sk = ?2")
            statement.bind(1, KeyEncoding.bytes(key.partition))
            statement.bind(2, key.sort.map(KeyEncoding.bytes) ?? [])
            let status = sqlite3_step(statement)
            defer { sqlite3_reset(statement) }
            guard status == SQLITE_ROW else {
                if status == SQLITE_DONE { return nil }
                throw connection.error(status)
            }
            return try statement.withBlob(0) { bytes throws(StorageError) in try ItemCodec.decode(bytes) }
        }
    }

    public func query(partition: AttributeValue, sort: SortKeyCondition?, limit: Int?, forward: Bool) async throws -> [Item] {
        try schema.validate(ItemKey(partition: partition, sort: schema.sortKey == nil ? nil : .string("x")))
        var clause = ""
        var values: [[UInt8]] = [KeyEncoding.bytes(partition)]
        switch sort {
        case nil: break
        case .equals(let value): clause = " AND sk = ?2"; values.append(KeyEncoding.bytes(value))
        case .lessThan(let value): clause = " AND sk < ?2"; values.append(KeyEncoding.bytes(value))
        case .lessThanOrEqual(let value): clause = " AND sk <= ?2"; values.append(KeyEncoding.bytes(value))
        case .greaterThan(let value): clause = " AND sk > ?2"; values.append(KeyEncoding.bytes(value))
        case .greaterThanOrEqual(let value): clause = " AND sk >= ?2"; values.append(KeyEncoding.bytes(value))
        case .between(let low, let high):
            clause = " AND sk >= ?2 AND sk <= ?3"
            values += [KeyEncoding.bytes(low), KeyEncoding.bytes(high)]
        case .beginsWith(let prefix):
            clause = " AND substr(sk, 1, length(?2)) = ?2"
            values.append(KeyEncoding.bytes(.string(prefix)))
        }
        let sql = "SELECT item FROM \(sqlTable) WHERE pk = ?1\(clause) ORDER BY sk \(forward ? "ASC" : "DESC") LIMIT ?9"
        return try read { connection throws(StorageError) in
            let statement = try connection.prepared(sql)
            for (offset, value) in values.enumerated() { statement.bind(Int32(offset + 1), value) }
            statement.bind(9, limit ?? -1)
            return try collect(statement, connection) { statement throws(StorageError) in
                try statement.withBlob(0) { bytes throws(StorageError) in try ItemCodec.decode(bytes) }
            }
        }
    }

    public func scan(limit: Int, after token: String?) async throws -> Page {
        guard limit > 0 else { throw StorageError(.invalidRequest, "scan limit must be positive") }
        let start = try token.map(PageToken.decode)
        let sql = start == nil
            ? "SELECT pk, sk, item FROM \(sqlTable) ORDER BY pk, sk LIMIT ?3"
            : "SELECT pk, sk, item FROM \(sqlTable) WHERE (pk, sk) > (?1, ?2) ORDER BY pk, sk LIMIT ?3"
        return try read { connection throws(StorageError) in
            let statement = try connection.prepared(sql)
            if let start {
                statement.bind(1, start.partition)
                statement.bind(2, start.sort)
            }
            statement.bind(3, limit)
            var last: PageToken?
            var count = 0
            let items = try collect(statement, connection) { statement throws(StorageError) in
                count += 1
                // Only a full page needs a token, and only its last row's key is kept.
                if count == limit { last = PageToken(partition: statement.blob(0), sort: statement.blob(1)) }
                return try statement.withBlob(2) { bytes throws(StorageError) in try ItemCodec.decode(bytes) }
            }
            return Page(items: items, next: items.count == limit ? last?.encoded : nil)
        }
    }

    private func collect(_ statement: OpaquePointer, _ connection: SQLiteConnection,
                         _ row: (OpaquePointer) throws(StorageError) -> Item) throws(StorageError) -> [Item] {
        defer { sqlite3_reset(statement) }
        var items: [Item] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return items }
            guard status == SQLITE_ROW else { throw connection.error(status) }
            items.append(try row(statement))
        }
    }

    // MARK: - Writes

    public func put(_ item: Item, condition: WriteCondition) async throws {
        let key = try schema.key(of: item)
        try writer.withLock { connection throws(StorageError) in try apply(.put(item, condition: condition), key: key, connection) }
    }

    public func delete(_ key: ItemKey, condition: WriteCondition) async throws {
        try schema.validate(key)
        try writer.withLock { connection throws(StorageError) in try apply(.delete(key, condition: condition), key: key, connection) }
    }

    public func transact(_ requests: [WriteRequest]) async throws {
        let keys = try schema.keys(of: requests)
        try writer.withLock { connection throws(StorageError) in
            try connection.execute("BEGIN IMMEDIATE")
            do throws(StorageError) {
                for (request, key) in zip(requests, keys) { try apply(request, key: key, connection) }
                try connection.execute("COMMIT")
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// One write as a single statement; in autocommit mode it is its own transaction.
    private func apply(_ request: WriteRequest, key: ItemKey, _ connection: SQLiteConnection) throws(StorageError) {
        let partition = KeyEncoding.bytes(key.partition), sort = key.sort.map(KeyEncoding.bytes) ?? []
        let sql: String
        var item: [UInt8]?
        let condition: WriteCondition
        switch request {
        case .put(let value, let required):
            item = ItemCodec.encode(value)
            condition = required
            switch required {
            case .none: sql = "INSERT OR REPLACE INTO \(sqlTable) (pk, sk, item) VALUES (?1, ?2, ?3)"
            case .notExists: sql = "INSERT OR IGNORE INTO \(sqlTable) (pk, sk, item) VALUES (?1, ?2, ?3)"
            case .exists: sql = "UPDATE \(sqlTable) SET item = ?3 WHERE pk = ?1 AND sk = ?2"
            }
        case .delete(_, let required):
            condition = required
            sql = required == .notExists
                ? "SELECT 1 FROM \(sqlTable) WHERE pk = ?1 AND sk = ?2"
                : "DELETE FROM \(sqlTable) WHERE pk = ?1 AND sk = ?2"
        }
        let statement = try connection.prepared(sql)
        statement.bind(1, partition)
        statement.bind(2, sort)
        if let item { statement.bind(3, item) }
        let status = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard status == SQLITE_DONE || status == SQLITE_ROW else { throw connection.error(status) }
        let failed: Bool
        switch (request, condition) {
        case (.delete, .notExists): failed = status == SQLITE_ROW
        case (_, .none): failed = false
        default: failed = connection.changes == 0
        }
        if failed { throw StorageError(.conditionalCheckFailed, "the conditional request failed") }
    }
}

/// Where a scan page ended: the last key, as an opaque hex token.
struct PageToken {
    var partition: [UInt8]
    var sort: [UInt8]

    var encoded: String { hexEncoded(partition) + "." + hexEncoded(sort) }

    static func decode(_ token: String) throws(StorageError) -> PageToken {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let partition = bytes(parts[0]), let sort = bytes(parts[1]) else {
            throw StorageError(.invalidRequest, "invalid page token")
        }
        return PageToken(partition: partition, sort: sort)
    }

    private static func bytes(_ text: Substring) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var output: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            output.append(byte)
            index = next
        }
        return output
    }
}
