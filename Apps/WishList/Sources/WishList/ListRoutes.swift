import HTTP
import Policy
import Storage

/// The shared wish lists' routes (SPEC §6). Every decision about one list — who sees it, shares it, adds to it,
/// deletes it — is made by the Cedar policies in `policies/`, asked in the handler once the list is loaded; the
/// route only says which scope the token needs and which actions the handler asks.
enum ListRoutes {
    /// A list with its items, as `GET /lists/{id}` answers it.
    struct ListView: Encodable {
        var id: String
        var name: String
        var owner: String
        var items: [WishItem]
    }

    static func add(to router: inout Router, store: SharedListStore) {
        router.post("/lists", requires: .scope(.writeWishlist), asks: [.createList],
                    documented: .init(request: NewList.self, responses: [201: WishListRoutes.Created.self])) { request, context in
            let name = try request.decode(NewList.self).validatedName()
            let list = SharedList(id: newID(request), name: name, owner: context.caller.subject,
                                  tenant: context.caller.claims["tenant"] ?? "", viewers: [], editors: [])
            try await context.authorize(.createList, on: list)
            try await store.create(list)
            return try .created(WishListRoutes.Created(id: list.id))
        }
        router.get("/lists/{id}", requires: .authenticated, asks: [.viewList],
                   documented: .init(responses: [200: ListView.self], errors: [404: "no such list"])) { request, context in
            let (list, items) = try await load(request, store)
            try await context.authorize(.viewList, on: list)
            return try .ok(ListView(id: list.id, name: list.name, owner: list.owner, items: items))
        }
        router.post("/lists/{id}/shares", requires: .scope(.writeWishlist), asks: [.shareList],
                    documented: .init(request: NewShare.self, responses: [204: NoContent.self], errors: [404: "no such list"])) {
            request, context in
            let (email, role) = try request.decode(NewShare.self).validated()
            let (list, _) = try await load(request, store)
            try await context.authorize(.shareList, on: list)
            try await store.update(list.sharing(with: email, as: role))
            return HTTPResponse(status: .noContent)
        }
        router.post("/lists/{id}/items", requires: .scope(.writeWishlist), asks: [.addItem],
                    documented: .init(request: NewItem.self, responses: [201: WishListRoutes.Created.self],
                                      errors: [404: "no such list"])) { request, context in
            let item = try request.decode(NewItem.self).validated(id: newID(request))
            let (list, _) = try await load(request, store)
            try await context.authorize(.addItem, on: list)
            try await store.add(item, to: list.id)
            return try .created(WishListRoutes.Created(id: item.id))
        }
        router.delete("/lists/{id}", requires: .scope(.writeWishlist), asks: [.deleteList],
                      documented: .init(responses: [204: NoContent.self], errors: [404: "no such list"])) { request, context in
            let (list, _) = try await load(request, store)
            try await context.authorize(.deleteList, on: list)
            try await store.delete(list.id)
            return HTTPResponse(status: .noContent)
        }
    }

    /// The list the path names, or 404.
    private static func load(_ request: HTTPRequest, _ store: SharedListStore) async throws -> (SharedList, [WishItem]) {
        guard let found = try await store.list(request.pathParameters["id"] ?? "") else {
            throw HTTPError(.notFound, "no such list")
        }
        return found
    }

    /// A new id: the invocation's own (a replayed event is a new item), else a random one.
    private static func newID(_ request: HTTPRequest) -> String {
        request.invocationID.isEmpty ? String(UInt64.random(in: 0...UInt64.max), radix: 36) : request.invocationID
    }
}
