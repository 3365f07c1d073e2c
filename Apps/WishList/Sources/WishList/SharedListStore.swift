public import Storage

/// Shared lists in the wish-list table: one partition per list (`list#ID`), holding the list (sort key `list`) and
/// its items (`item#ID`), so one query reads a list whole.
public struct SharedListStore: Sendable {
    private let table: any Table

    /// A store on `table` (the wish-list table: `WishListStore.schema`).
    public init(table: any Table) {
        self.table = table
    }

    /// A row of a list's partition: the list itself (sort key `list`) or one of its items (`item#ID`).
    private struct Row: Codable {
        var partition: String
        var sort: String
        var list: SharedList?
        var item: WishItem?

        enum CodingKeys: String, CodingKey { case partition = "tenant", sort = "id", list, item }
    }

    private static func partition(_ id: String) -> String { "list#" + id }

    /// Stores a new list; its id must be new.
    public func create(_ list: SharedList) async throws {
        try await table.put(Row(partition: Self.partition(list.id), sort: "list", list: list), condition: .notExists)
    }

    /// The list `id` and its items, if there is such a list.
    public func list(_ id: String) async throws -> (list: SharedList, items: [WishItem])? {
        let rows = try await table.query(Row.self, partition: .string(Self.partition(id)))
        guard let list = rows.lazy.compactMap(\.list).first else { return nil }
        return (list, rows.compactMap(\.item))
    }

    /// Replaces the stored list's shares (the list must still exist).
    public func update(_ list: SharedList) async throws {
        try await table.put(Row(partition: Self.partition(list.id), sort: "list", list: list), condition: .exists)
    }

    /// Adds `item` to the list `id`; the item id must be new.
    public func add(_ item: WishItem, to id: String) async throws {
        try await table.put(Row(partition: Self.partition(id), sort: "item#" + item.id, item: item), condition: .notExists)
    }

    /// Removes the list `id` and its items, a hundred rows a transaction (DynamoDB's limit).
    public func delete(_ id: String) async throws {
        let partition = Self.partition(id)
        let keys = try await table.query(Row.self, partition: .string(partition)).map {
            ItemKey(partition: .string(partition), sort: .string($0.sort))
        }
        for start in stride(from: 0, to: keys.count, by: 100) {
            try await table.write(keys[start..<min(start + 100, keys.count)].map { WriteRequest.delete($0) })
        }
    }
}
