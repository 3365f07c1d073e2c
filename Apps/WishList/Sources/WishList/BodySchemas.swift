public import HTTP

// The wish list's bodies as OpenAPI shows them (`gatehouse openapi`); the examples are what the authorization
// matrix sends.

extension NewItem: DocumentedBody {
    public static let schema = JSONSchema.object([
        "name": .string(pattern: #"\S"#, maxLength: 100), "description": .nullable(.string(maxLength: 1000)),
        // Empty, or http(s):// and at least one more character, with no space or control character.
        "url": .nullable(.string(pattern: #"^$|^[Hh][Tt][Tt][Pp][Ss]?://[^\s\x00-\x1f]+$"#, maxLength: 2048)),
    ], required: ["name"])
    public static let example = NewItem(name: "A good book", description: "Any edition", url: "https://example.com/book")
}

extension WishItem: DocumentedBody {
    public static let schema = JSONSchema.object([
        "id": .string, "name": .string, "description": .string, "url": .string,
    ], required: ["id", "name", "description", "url"])
    public static let example = WishItem(id: "4f1c2b9e-6d7a-4c1e-9a55-0c1d2e3f4a5b", name: "A good book",
                                         description: "Any edition", url: "https://example.com/book")
}

extension WishListRoutes.Listing: DocumentedBody {
    static let schema = JSONSchema.object(["Items": .array(of: WishItem.schema), "Count": .integer],
                                          required: ["Items", "Count"])
    static let example = WishListRoutes.Listing(Items: [WishItem.example], Count: 1)
}

extension WishListRoutes.Created: DocumentedBody {
    static let schema = JSONSchema.object(["id": .string], required: ["id"])
    static let example = WishListRoutes.Created(id: WishItem.example.id)
}

extension NewList: DocumentedBody {
    public static let schema = JSONSchema.object(["name": .string(pattern: #"\S"#, maxLength: 100)], required: ["name"])
    public static let example = NewList(name: "Birthday")
}

extension NewShare: DocumentedBody {
    public static let schema = JSONSchema.object([
        "user": .string(pattern: "@", maxLength: 254), "role": .string(oneOf: ["viewer", "editor"]),
    ], required: ["user", "role"])
    public static let example = NewShare(user: "carol@example.com", role: "viewer")
}

extension ListRoutes.ListView: DocumentedBody {
    static let schema = JSONSchema.object([
        "id": .string, "name": .string, "owner": .string, "items": .array(of: WishItem.schema),
    ], required: ["id", "name", "owner", "items"])
    static let example = ListRoutes.ListView(id: "k3x9q", name: "Birthday", owner: "auth0|ada@example.com",
                                             items: [WishItem.example])
}
