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

    /// An item as the table holds it: the item, its tenant (the partition) and who created it.
    struct Stored: Codable {
        var tenant: String
        var id: String
        var name: String
        var description: String
        var url: String
        var createdBy: String

        var item: WishItem { WishItem(id: id, name: name, description: description, url: url) }
    }

    /// Stores `item` created by `subject` for `tenant`; the id must be new.
    public func add(_ item: WishItem, by subject: String, tenant: String?) async throws {
        try await table.put(Stored(tenant: tenant ?? Self.noTenant, id: item.id, name: item.name,
                                   description: item.description, url: item.url, createdBy: subject),
                            condition: .notExists)
    }

    /// The items created by callers without a tenant: what the public list shows.
    public func publicItems() async throws -> [WishItem] {
        try await items(of: Self.noTenant)
    }

    /// The items created by callers of `tenant`.
    public func items(of tenant: String) async throws -> [WishItem] {
        try await table.query(Stored.self, partition: .string(tenant)).map(\.item)
    }
}
