/// The key attributes of a table: a partition key and an optional sort key.
public struct KeySchema: Sendable, Equatable {
    /// The partition key's attribute name.
    public var partitionKey: String
    /// The sort key's attribute name, when the table has one.
    public var sortKey: String?

    /// A schema.
    public init(partitionKey: String, sortKey: String? = nil) {
        self.partitionKey = partitionKey
        self.sortKey = sortKey
    }

    /// The key of `item`; throws when a key attribute is missing or not a string, number or binary value.
    public func key(of item: Item) throws(StorageError) -> ItemKey {
        guard let partition = item[partitionKey] else {
            throw StorageError(.invalidRequest, "item lacks its partition key \(partitionKey)")
        }
        var sort: AttributeValue?
        if let sortKey {
            guard let value = item[sortKey] else { throw StorageError(.invalidRequest, "item lacks its sort key \(sortKey)") }
            sort = value
        }
        let key = ItemKey(partition: partition, sort: sort)
        try validate(key)
        return key
    }

    /// The keys a transaction touches, checked: each must fit the schema and appear only once.
    func keys(of requests: [WriteRequest]) throws(StorageError) -> [ItemKey] {
        var keys: [ItemKey] = []
        for request in requests {
            switch request {
            case .put(let item, _): keys.append(try key(of: item))
            case .delete(let key, _): try validate(key); keys.append(key)
            }
        }
        guard Set(keys).count == keys.count else {
            throw StorageError(.invalidRequest, "a transaction may touch each item only once")
        }
        return keys
    }

    /// Checks that `key` fits this schema.
    public func validate(_ key: ItemKey) throws(StorageError) {
        for value in [key.partition] + (key.sort.map { [$0] } ?? []) {
            switch value {
            case .string(let text) where !text.isEmpty: continue
            case .number, .binary: continue
            default: throw StorageError(.invalidRequest, "key attributes must be non-empty strings, numbers or binary")
            }
        }
        if (key.sort == nil) != (sortKey == nil) {
            throw StorageError(.invalidRequest, sortKey == nil ? "this table has no sort key" : "the sort key is missing")
        }
    }
}

/// The primary key of one item.
public struct ItemKey: Sendable, Hashable {
    /// The partition key value.
    public var partition: AttributeValue
    /// The sort key value, when the table has a sort key.
    public var sort: AttributeValue?

    /// A key.
    public init(partition: AttributeValue, sort: AttributeValue? = nil) {
        self.partition = partition
        self.sort = sort
    }
}

/// A condition on the item a write replaces.
public enum WriteCondition: Sendable, Equatable {
    /// Write unconditionally.
    case none
    /// Write only if no item has this key (`attribute_not_exists(pk)`).
    case notExists
    /// Write only if an item has this key (`attribute_exists(pk)`).
    case exists
}

/// A condition on the sort key within one partition.
public enum SortKeyCondition: Sendable, Equatable {
    case equals(AttributeValue)
    case lessThan(AttributeValue)
    case lessThanOrEqual(AttributeValue)
    case greaterThan(AttributeValue)
    case greaterThanOrEqual(AttributeValue)
    case between(AttributeValue, AttributeValue)
    case beginsWith(String)
}

/// One write of a batch or transaction.
public enum WriteRequest: Sendable, Equatable {
    case put(Item, condition: WriteCondition = .none)
    case delete(ItemKey, condition: WriteCondition = .none)
}

/// One page of a scan; pass `next` back to continue, until it is nil.
public struct Page: Sendable, Equatable {
    /// The items of this page.
    public var items: [Item]
    /// An opaque token for the next page; nil at the end.
    public var next: String?
}

/// A table on DynamoDB's item model. Every backend (SQLite, DynamoDB, memory) passes the same conformance tests.
public protocol Table: Sendable {
    /// The table's key attributes.
    var schema: KeySchema { get }
    /// Stores `item`, replacing any item with its key, if `condition` holds.
    func put(_ item: Item, condition: WriteCondition) async throws
    /// The item with `key`, if any.
    func get(_ key: ItemKey) async throws -> Item?
    /// Removes the item with `key`, if `condition` holds.
    func delete(_ key: ItemKey, condition: WriteCondition) async throws
    /// Items of one partition in sort-key order (reversed when `forward` is false), at most `limit`.
    func query(partition: AttributeValue, sort: SortKeyCondition?, limit: Int?, forward: Bool) async throws -> [Item]
    /// Up to `limit` items of the whole table, after the page `token` ended.
    func scan(limit: Int, after token: String?) async throws -> Page
    /// Applies every request atomically: all of them, or none when any condition fails.
    func transact(_ requests: [WriteRequest]) async throws
}

extension Table {
    /// Stores `item` unconditionally.
    public func put(_ item: Item) async throws { try await put(item, condition: .none) }
    /// Removes the item with `key`.
    public func delete(_ key: ItemKey) async throws { try await delete(key, condition: .none) }
    /// Every item of one partition, in sort-key order.
    public func query(partition: AttributeValue, sort: SortKeyCondition? = nil) async throws -> [Item] {
        try await query(partition: partition, sort: sort, limit: nil, forward: true)
    }
    /// Writes unconditional puts and deletes as one atomic batch.
    public func write(_ requests: [WriteRequest]) async throws { try await transact(requests) }
}
