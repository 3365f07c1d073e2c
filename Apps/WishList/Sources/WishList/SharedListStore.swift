public import Storage

/// Shared lists in the wish-list table: one partition per list (`list#ID`), holding the list (sort key `list`) and
/// its items (`item#ID`), so one query reads a list whole.
public struct SharedListStore: Sendable {
    private let table: any Table

    /// A store on `table` (the wish-list table: `WishListStore.schema`).
    public init(table: any Table) {
        self.table = table
    }

    private static func partition(_ id: String) -> String { "list#" + id }

    /// The list's row (sort key `list`), written attribute by attribute: a read on every request decodes it, and
    /// this is cheaper than going through `Codable`.
    private static func row(_ list: SharedList) -> Item {
        ["tenant": .string(partition(list.id)), "id": .string("list"), "name": .string(list.name),
         "owner": .string(list.owner), "listTenant": .string(list.tenant),
         "viewers": .list(list.viewers.map { .string($0) }), "editors": .list(list.editors.map { .string($0) })]
    }

    /// An item's row (`item#ID`).
    private static func row(_ item: WishItem, in id: String) -> Item {
        ["tenant": .string(partition(id)), "id": .string("item#" + item.id), "name": .string(item.name),
         "description": .string(item.description), "url": .string(item.url)]
    }

    /// Stores a new list; its id must be new.
    public func create(_ list: SharedList) async throws {
        try await table.put(Self.row(list), condition: .notExists)
    }

    /// The list `id` and its items, if there is such a list.
    public func list(_ id: String) async throws -> (list: SharedList, items: [WishItem])? {
        var list: SharedList?, items: [WishItem] = []
        for row in try await table.query(partition: .string(Self.partition(id))) {
            func text(_ name: String) -> String { row[name]?.stringValue ?? "" }
            func texts(_ name: String) -> [String] {
                if case .list(let values)? = row[name] { return values.compactMap(\.stringValue) }
                return []
            }
            let sort = text("id")
            if sort == "list" {
                list = SharedList(id: id, name: text("name"), owner: text("owner"), tenant: text("listTenant"),
                                  viewers: texts("viewers"), editors: texts("editors"))
            } else if sort.hasPrefix("item#") {
                items.append(WishItem(id: String(sort.dropFirst(5)), name: text("name"), description: text("description"),
                                      url: text("url")))
            }
        }
        return list.map { ($0, items) }
    }

    /// Replaces the stored list's shares (the list must still exist).
    public func update(_ list: SharedList) async throws {
        try await table.put(Self.row(list), condition: .exists)
    }

    /// Adds `item` to the list `id`; the item id must be new.
    public func add(_ item: WishItem, to id: String) async throws {
        try await table.put(Self.row(item, in: id), condition: .notExists)
    }

    /// Removes the list `id` and its items, a hundred rows a transaction (DynamoDB's limit).
    public func delete(_ id: String) async throws {
        let keys = try await table.query(partition: .string(Self.partition(id))).map { try table.schema.key(of: $0) }
        for start in stride(from: 0, to: keys.count, by: 100) {
            try await table.write(keys[start..<min(start + 100, keys.count)].map { WriteRequest.delete($0) })
        }
    }
}
