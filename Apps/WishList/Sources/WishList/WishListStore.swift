public import Storage

/// Wish-list items in a table keyed by tenant (partition) and item id (sort), with who created each.
public struct WishListStore: Sendable {
    /// The key schema the table must have.
    public static let schema = KeySchema(partitionKey: "tenant", sortKey: "id")
    /// The partition of items created by callers without a tenant.
    static let noTenant = "-"

    private let table: any Table

    /// A store on `table`.
    public init(table: any Table) {
        self.table = table
    }

    /// Stores `item` created by `subject` for `tenant`; the id must be new.
    public func add(_ item: WishItem, by subject: String, tenant: String?) async throws {
        try await table.put([
            "tenant": .string(tenant ?? Self.noTenant), "id": .string(item.id), "name": .string(item.name),
            "description": .string(item.description), "url": .string(item.url), "createdBy": .string(subject),
        ], condition: .notExists)
    }

    /// The items created by callers without a tenant: what the public list shows.
    public func publicItems() async throws -> [WishItem] {
        try await items(of: Self.noTenant)
    }

    /// The items created by callers of `tenant`.
    public func items(of tenant: String) async throws -> [WishItem] {
        try await table.query(partition: .string(tenant)).compactMap(Self.item)
    }

    private static func item(_ stored: Item) -> WishItem? {
        guard let id = stored["id"]?.stringValue, let name = stored["name"]?.stringValue else { return nil }
        return WishItem(id: id, name: name, description: stored["description"]?.stringValue ?? "",
                        url: stored["url"]?.stringValue ?? "")
    }
}
