import Synchronization

/// A table in memory, for unit tests of apps: same semantics as the SQLite and DynamoDB backends, no file.
public final class MemoryTable: Table {
    public let schema: KeySchema
    /// Items by encoded partition key, then encoded sort key.
    private let partitions = Mutex<[[UInt8]: [[UInt8]: Item]]>([:])

    /// An empty table.
    public init(schema: KeySchema) {
        self.schema = schema
    }

    public func put(_ item: Item, condition: WriteCondition) async throws {
        let key = try schema.key(of: item)
        try partitions.withLock { partitions throws(StorageError) in
            try Self.apply(.put(item, condition: condition), key: key, to: &partitions)
        }
    }

    public func get(_ key: ItemKey) async throws -> Item? {
        try schema.validate(key)
        let (partition, sort) = Self.encoded(key)
        return partitions.withLock { $0[partition]?[sort] }
    }

    public func delete(_ key: ItemKey, condition: WriteCondition) async throws {
        try schema.validate(key)
        try partitions.withLock { partitions throws(StorageError) in
            try Self.apply(.delete(key, condition: condition), key: key, to: &partitions)
        }
    }

    public func query(partition: AttributeValue, sort: SortKeyCondition?, limit: Int?, forward: Bool) async throws -> [Item] {
        let rows = partitions.withLock { $0[KeyEncoding.bytes(partition)] ?? [:] }
        var keys = rows.keys.filter { sortKey in sort.map { KeyEncoding.matches(sortKey, $0) } ?? true }
            .sorted { $0.lexicographicallyPrecedes($1) }
        if !forward { keys.reverse() }
        return keys.prefix(limit ?? Int.max).map { rows[$0]! }
    }

    public func scan(limit: Int, after token: String?) async throws -> Page {
        guard limit > 0 else { throw StorageError(.invalidRequest, "scan limit must be positive") }
        let start = try token.map(PageToken.decode)
        let all = partitions.withLock { partitions in
            partitions.flatMap { partition, rows in rows.map { (partition, $0.key, $0.value) } }
        }
        let ordered = all.sorted { precedes(($0.0, $0.1), ($1.0, $1.1)) }
            .filter { row in start.map { precedes(($0.partition, $0.sort), (row.0, row.1)) } ?? true }
        let page = ordered.prefix(limit)
        let next = page.count == limit ? page.last.map { PageToken(partition: $0.0, sort: $0.1).encoded } : nil
        return Page(items: page.map(\.2), next: next)
    }

    public func transact(_ requests: [WriteRequest]) async throws {
        let keys = try schema.keys(of: requests)
        try partitions.withLock { partitions throws(StorageError) in
            var staged = partitions
            for (request, key) in zip(requests, keys) { try Self.apply(request, key: key, to: &staged) }
            partitions = staged
        }
    }

    private static func encoded(_ key: ItemKey) -> ([UInt8], [UInt8]) {
        (KeyEncoding.bytes(key.partition), key.sort.map(KeyEncoding.bytes) ?? [])
    }

    private static func apply(_ request: WriteRequest, key: ItemKey,
                              to partitions: inout [[UInt8]: [[UInt8]: Item]]) throws(StorageError) {
        let (partition, sort) = encoded(key)
        let exists = partitions[partition]?[sort] != nil
        let condition: WriteCondition
        switch request {
        case .put(_, let required), .delete(_, let required): condition = required
        }
        guard condition == .none || (condition == .exists) == exists else {
            throw StorageError(.conditionalCheckFailed, "the conditional request failed")
        }
        switch request {
        case .put(let item, _): partitions[partition, default: [:]][sort] = item
        case .delete: partitions[partition]?[sort] = nil
        }
    }
}

/// Key order: by encoded partition, then encoded sort key, bytewise (as the SQLite backend's `ORDER BY pk, sk`).
private func precedes(_ a: (partition: [UInt8], sort: [UInt8]), _ b: (partition: [UInt8], sort: [UInt8])) -> Bool {
    a.partition == b.partition ? a.sort.lexicographicallyPrecedes(b.sort) : a.partition.lexicographicallyPrecedes(b.partition)
}
