import CSQLite

/// One SQLite connection with its prepared statements cached. Not thread-safe: it is only used under a lock.
final class SQLiteConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    private let path: String
    private var statements: [String: OpaquePointer] = [:]

    /// Opens (creating when absent) the database at `path` with a busy timeout.
    init(path: String, busyTimeoutMilliseconds: Int32 = 5000) throws(StorageError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            if let handle { sqlite3_close_v2(handle) }
            throw StorageError(.unavailable, "cannot open \(path): \(String(cString: sqlite3_errstr(status)))")
        }
        self.handle = handle
        self.path = path
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        statements.values.forEach { sqlite3_finalize($0) }
        sqlite3_close_v2(handle)
    }

    /// Runs SQL that returns no rows.
    func execute(_ sql: String) throws(StorageError) {
        let status = sqlite3_exec(handle, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw error(status) }
    }

    /// The single text value a query such as `PRAGMA journal_mode` returns.
    func text(_ sql: String) throws(StorageError) -> String? {
        let statement = try prepared(sql)
        defer { sqlite3_reset(statement) }
        let status = sqlite3_step(statement)
        guard status == SQLITE_ROW else {
            if status == SQLITE_DONE { return nil }
            throw error(status)
        }
        return sqlite3_column_text(statement, 0).map { String(cString: $0) }
    }

    /// A cached prepared statement, reset and with its bindings cleared.
    func prepared(_ sql: String) throws(StorageError) -> OpaquePointer {
        if let statement = statements[sql] {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            return statement
        }
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw error(status) }
        statements[sql] = statement
        return statement
    }

    /// Rows changed by the last statement.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// A clear error for a failed SQLite call: damaged files and locks say so and name the file.
    func error(_ status: Int32) -> StorageError {
        switch status & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return StorageError(.unavailable, "\(path) is locked by another connection (busy timeout passed)")
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return StorageError(.unavailable, "\(path) is not a SQLite database or is damaged")
        case SQLITE_FULL:
            return StorageError(.unavailable, "disk full writing \(path)")
        case SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN:
            return StorageError(.unavailable, "cannot write \(path)")
        default:
            return StorageError(.unavailable, "SQLite error on \(path): \(String(cString: sqlite3_errmsg(handle)))")
        }
    }
}

/// Binding and reading values of a prepared statement.
extension OpaquePointer {
    func bind(_ index: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            _ = sqlite3_bind_blob(self, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count),
                                  gatehouse_sqlite_transient())
        }
    }

    func bind(_ index: Int32, _ value: Int) {
        sqlite3_bind_int64(self, index, Int64(value))
    }

    /// Runs `body` over the blob in `column` of the current row, without copying.
    func withBlob<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws(StorageError) -> T) throws(StorageError) -> T {
        let count = Int(sqlite3_column_bytes(self, column))
        let pointer = sqlite3_column_blob(self, column)
        return try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(self, column))
        guard count > 0, let pointer = sqlite3_column_blob(self, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
