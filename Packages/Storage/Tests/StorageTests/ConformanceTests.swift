import Glibc
import Testing
import StorageTesting
@testable import Storage

/// One behaviour, every backend: each test runs against the in-memory table and a real SQLite file.
@Suite struct ConformanceTests {
    typealias Backend = TestBackend

    static let simple = KeySchema(partitionKey: "id")
    static let sorted = KeySchema(partitionKey: "tenant", sortKey: "at")

    @Test(arguments: Backend.allCases)
    func everyAttributeTypeRoundTrips(backend: Backend) async throws {
        let table = try await backend.table(Self.simple)
        let item: Item = [
            "id": .string("a-1"), "n": .number("-12.5"), "yes": .bool(true), "no": .bool(false), "nothing": .null,
            "bytes": .binary([0, 1, 255]), "list": .list([.string("x"), .number(2), .list([])]),
            "map": .map(["nested": .map(["deep": .string("é✓")])]), "tags": .stringSet(["b", "a"]),
            "empty": .string(""),
        ]
        try await table.put(item)
        #expect(try await table.get(ItemKey(partition: .string("a-1"))) == item)
        #expect(try await table.get(ItemKey(partition: .string("a-2"))) == nil)
    }

    @Test(arguments: Backend.allCases)
    func conditionalWrites(backend: Backend) async throws {
        let table = try await backend.table(Self.simple)
        let key = ItemKey(partition: .string("k"))
        try await table.put(["id": .string("k"), "v": .number(1)], condition: .notExists)
        await #expect(throws: StorageError(.conditionalCheckFailed, "the conditional request failed")) {
            try await table.put(["id": .string("k"), "v": .number(2)], condition: .notExists)
        }
        #expect(try await table.get(key)?["v"] == .number(1))
        try await table.put(["id": .string("k"), "v": .number(3)], condition: .exists)
        #expect(try await table.get(key)?["v"] == .number(3))
        await #expect(throws: StorageError.self) {
            try await table.put(["id": .string("other"), "v": .number(1)], condition: .exists)
        }
        #expect(try await table.get(ItemKey(partition: .string("other"))) == nil)
        await #expect(throws: StorageError.self) { try await table.delete(key, condition: .notExists) }
        try await table.delete(key, condition: .exists)
        #expect(try await table.get(key) == nil)
        await #expect(throws: StorageError.self) { try await table.delete(key, condition: .exists) }
        try await table.delete(key)  // unconditional delete of nothing is fine
    }

    @Test(arguments: Backend.allCases)
    func keysAreValidated(backend: Backend) async throws {
        let table = try await backend.table(Self.sorted, sortKeyType: .number)
        await #expect(throws: StorageError.self) { try await table.put(["at": .number(1)]) }
        await #expect(throws: StorageError.self) { try await table.put(["tenant": .string("a")]) }
        await #expect(throws: StorageError.self) { try await table.put(["tenant": .bool(true), "at": .number(1)]) }
        await #expect(throws: StorageError.self) { try await table.put(["tenant": .string(""), "at": .number(1)]) }
        await #expect(throws: StorageError.self) { try await table.get(ItemKey(partition: .string("a"))) }
    }

    @Test(arguments: Backend.allCases)
    func queryOrdersBySortKeyAndFilters(backend: Backend) async throws {
        let table = try await backend.table(Self.sorted, sortKeyType: .number)
        for at in [10, -5, 2, 100, 0, -40] {
            try await table.put(["tenant": .string("acme"), "at": .number(at), "v": .string("a\(at)")])
        }
        try await table.put(["tenant": .string("globex"), "at": .number(1)])
        let order = { (items: [Item]) in items.compactMap { $0["at"]?.numberValue }.map(Int.init) }
        #expect(order(try await table.query(partition: .string("acme"))) == [-40, -5, 0, 2, 10, 100])
        #expect(order(try await table.query(partition: .string("acme"), sort: nil, limit: 2, forward: false)) == [100, 10])
        #expect(order(try await table.query(partition: .string("acme"), sort: .between(.number(-5), .number(10)))) == [-5, 0, 2, 10])
        #expect(order(try await table.query(partition: .string("acme"), sort: .greaterThan(.number(2)))) == [10, 100])
        #expect(order(try await table.query(partition: .string("acme"), sort: .lessThanOrEqual(.number(0)))) == [-40, -5, 0])
        #expect(order(try await table.query(partition: .string("acme"), sort: .equals(.number(2)))) == [2])
        #expect(try await table.query(partition: .string("initech")).isEmpty)

        let words = try await backend.table(KeySchema(partitionKey: "p", sortKey: "s"))
        for word in ["order#2", "order#10", "invoice#1", "order#1"] {
            try await words.put(["p": .string("x"), "s": .string(word)])
        }
        let prefixed = try await words.query(partition: .string("x"), sort: .beginsWith("order#"))
        #expect(prefixed.compactMap { $0["s"]?.stringValue } == ["order#1", "order#10", "order#2"])
    }

    @Test(arguments: Backend.allCases)
    func scanPagesCoverEveryItemOnce(backend: Backend) async throws {
        let table = try await backend.table(Self.sorted, sortKeyType: .number)
        for tenant in ["a", "b", "c"] {
            for at in 0..<7 { try await table.put(["tenant": .string(tenant), "at": .number(at)]) }
        }
        var seen: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try await table.scan(limit: 4, after: token)
            seen += page.items.map { "\($0["tenant"]!.stringValue!)\(Int($0["at"]!.numberValue!))" }
            token = page.next
            pages += 1
        } while token != nil
        #expect(seen.count == 21 && Set(seen).count == 21)
        #expect(pages == 6)
        await #expect(throws: StorageError.self) { try await table.scan(limit: 4, after: "zz") }
    }

    @Test(arguments: Backend.allCases)
    func transactionsAreAllOrNothing(backend: Backend) async throws {
        let table = try await backend.table(Self.simple)
        try await table.put(["id": .string("taken")])
        await #expect(throws: StorageError(.conditionalCheckFailed, "the conditional request failed")) {
            try await table.transact([.put(["id": .string("new")], condition: .notExists),
                                      .put(["id": .string("taken")], condition: .notExists)])
        }
        #expect(try await table.get(ItemKey(partition: .string("new"))) == nil)
        try await table.transact([.put(["id": .string("new")], condition: .notExists),
                                  .delete(ItemKey(partition: .string("taken")), condition: .exists)])
        #expect(try await table.get(ItemKey(partition: .string("new"))) != nil)
        #expect(try await table.get(ItemKey(partition: .string("taken"))) == nil)
        await #expect(throws: StorageError.self) {
            try await table.transact([.put(["id": .string("dup")]), .put(["id": .string("dup")])])
        }
        try await table.write([.put(["id": .string("b1")]), .put(["id": .string("b2")])])
        #expect(try await table.get(ItemKey(partition: .string("b2"))) != nil)
    }
}
