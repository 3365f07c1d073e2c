import GatehouseTesting
import Glibc
import Testing
import StorageTesting
@testable import Storage

/// What only a file can show: persistence, damage, WAL, and surviving a killed writer.
@Suite struct SQLiteFileTests {
    @Test func dataSurvivesReopening() async throws {
        let path = temporaryFolder() + "/nested/folder/data.sqlite"
        do {
            let table = try SQLiteTable(path: path, name: "items", schema: KeySchema(partitionKey: "id"))
            try await table.put(["id": .string("kept"), "v": .number(7)])
        }
        let reopened = try SQLiteTable(path: path, name: "items", schema: KeySchema(partitionKey: "id"))
        #expect(try await reopened.get(ItemKey(partition: .string("kept")))?["v"] == .number(7))
        #expect(access(path + "-wal", F_OK) == 0)
    }

    @Test func damagedFileGivesAClearError() throws {
        let path = temporaryFolder() + "/broken.sqlite"
        let file = fopen(path, "w")
        fputs(String(repeating: "this is not a database. ", count: 200), file)
        fclose(file)
        #expect(throws: StorageError(.unavailable, "\(path) is not a SQLite database or is damaged")) {
            try SQLiteTable(path: path, name: "t", schema: KeySchema(partitionKey: "id"))
        }
    }

    @Test func damagedRowGivesAnErrorNotACrash() throws {
        let garbage: [UInt8] = [3, 1, 200, 200, 200]
        #expect(throws: StorageError.self) { try garbage.withUnsafeBytes { try ItemCodec.decode($0) } }
        let nested = [UInt8](repeating: 1, count: 1) + [1, 0x61] + [UInt8](repeating: 8, count: 64)
        #expect(throws: StorageError.self) { try nested.withUnsafeBytes { try ItemCodec.decode($0) } }
    }

    @Test func everyAcknowledgedWriteSurvivesSIGKILL() async throws {
        let path = temporaryFolder() + "/crash.sqlite"
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let executable = productsDirectory() + "/storage-writer"
        let words: [String] = [executable, path]
        let argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        #expect(posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0)
        close(fds[1])

        // Read acknowledgements until well into the stream, then kill the writer without warning.
        var acknowledged = -1
        var buffer = [UInt8](repeating: 0, count: 4096)
        var pending: [UInt8] = []
        /// Reads one chunk of acknowledgements; false at end of stream.
        func readAcknowledgements() -> Bool {
            let count = read(fds[0], &buffer, buffer.count)
            guard count > 0 else { return false }
            pending += buffer[0..<count]
            while let newline = pending.firstIndex(of: 10) {
                acknowledged = Int(String(decoding: pending[..<newline], as: UTF8.self)) ?? acknowledged
                pending.removeSubrange(...newline)
            }
            return true
        }
        while acknowledged < 3000 && readAcknowledgements() {}
        kill(pid, SIGKILL)
        // Acknowledgements already in the pipe count too: they were printed after their put returned.
        while readAcknowledgements() {}
        close(fds[0])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        #expect(status & 0x7F == SIGKILL)
        #expect(acknowledged >= 3000)

        let table = try SQLiteTable(path: path, name: "crash", schema: KeySchema(partitionKey: "id"))
        var missing: [Int] = []
        for id in 0...acknowledged where try await table.get(ItemKey(partition: .number(id))) == nil {
            missing.append(id)
        }
        #expect(missing.isEmpty, "lost acknowledged writes: \(missing.prefix(10))")
    }
}

/// The folder holding the test binary and the executables SwiftPM built with it.
func productsDirectory() -> String { Repository.builtProducts }

@Suite struct StorageBackendTests {
    @Test func environmentChoosesTheBackend() throws {
        #expect(try StorageBackend.parse(nil, onLambda: true, dataFolder: ".gatehouse") == .dynamodb)
        #expect(try StorageBackend.parse(nil, onLambda: false, dataFolder: "/data") == .sqlite(path: "/data/gatehouse.sqlite"))
        #expect(try StorageBackend.parse("sqlite:/tmp/x.db", onLambda: true, dataFolder: "d") == .sqlite(path: "/tmp/x.db"))
        #expect(try StorageBackend.parse("memory", onLambda: false, dataFolder: "d") == .memory)
        #expect(throws: StorageError.self) { try StorageBackend.parse("postgres", onLambda: false, dataFolder: "d") }
        #expect(throws: StorageError.self) { try StorageBackend.parse("sqlite:", onLambda: false, dataFolder: "d") }
    }

    @Test func memoryTablesAreSharedByName() async throws {
        let schema = KeySchema(partitionKey: "id")
        let first = try StorageBackend.memory.openTable(name: "shared-\(newTableSuffix())", schema: schema)
        try await first.put(["id": .string("x")])
        let name = "again-\(newTableSuffix())"
        let a = try StorageBackend.memory.openTable(name: name, schema: schema)
        try await a.put(["id": .string("y")])
        let b = try StorageBackend.memory.openTable(name: name, schema: schema)
        #expect(try await b.get(ItemKey(partition: .string("y"))) != nil)
    }
}

@Suite struct LockAndCodableTests {
    @Test func lockedFileGivesAClearError() async throws {
        let path = temporaryFolder() + "/locked.sqlite"
        let table = try SQLiteTable(path: path, name: "t", schema: KeySchema(partitionKey: "id"), busyTimeoutMilliseconds: 100)
        let other = try SQLiteConnection(path: path)
        try other.execute("BEGIN EXCLUSIVE")
        await #expect(throws: StorageError(.unavailable, "\(path) is locked by another connection (busy timeout passed)")) {
            try await table.put(["id": .string("x")])
        }
        try other.execute("ROLLBACK")
        try await table.put(["id": .string("x")])
    }

    struct Wish: Codable, Equatable {
        var tenant: String
        var id: String
        var price: Double
        var count: Int
        var tags: [String]
        var note: String?
        var nested: [String: Bool]
    }

    @Test(arguments: ConformanceTests.Backend.allCases)
    func codableValuesRoundTrip(backend: ConformanceTests.Backend) async throws {
        let table = try await backend.table(KeySchema(partitionKey: "tenant", sortKey: "id"))
        let wish = Wish(tenant: "acme", id: "w1", price: 12.5, count: 3, tags: ["a", "b"], note: nil, nested: ["gift": true])
        try await table.put(wish, condition: .notExists)
        #expect(try await table.get(Wish.self, ItemKey(partition: .string("acme"), sort: .string("w1"))) == wish)
        let stored = try await table.get(ItemKey(partition: .string("acme"), sort: .string("w1")))
        #expect(stored?["count"] == .number("3") && stored?["price"] == .number("12.5"))
        await #expect(throws: StorageError.self) { try await table.put(["just", "an", "array"]) }
    }
}
