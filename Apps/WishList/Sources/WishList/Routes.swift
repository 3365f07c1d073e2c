public import HTTP
import Policy

/// The wish-list API's routes.
public enum WishListRoutes {
    /// The `{"Items": […], "Count": n}` shape of list answers (as DynamoDB's, which the seed's API returned).
    struct Listing: Encodable {
        var Items: [WishItem]
        var Count: Int
    }

    /// The application over `store`.
    public static func application(store: WishListStore) -> Application {
        var router = Router(maxBodyBytes: 16 * 1024)
        router.get("/wish-list", requires: .public) { _, _ in
            let items = try await store.all()
            return try .ok(Listing(Items: items, Count: items.count))
        }
        router.post("/wish-list", requires: .scope(.writeWishlist)) { request, context in
            let submitted = try request.decode(NewItem.self)
            let id = request.requestID.isEmpty ? newItemID() : request.requestID
            let item: WishItem
            do {
                item = try submitted.validated(id: id)
            } catch let invalid as InvalidItem {
                throw HTTPError(.badRequest, invalid.reason)
            }
            try await store.add(item, by: context.caller.subject, tenant: tenant(of: context.caller))
            return try .created(["id": item.id])
        }
        router.get("/tenants/{tenantId}/wish-list", requires: .authenticated) { request, context in
            let tenantID = request.pathParameters["tenantId"] ?? ""
            // The REQUEST authorizer already denied other tenants; the handler checks again (defence in depth).
            guard tenant(of: context.caller) == tenantID else {
                throw HTTPError(.forbidden, "not a member of tenant \(tenantID)")
            }
            let items = try await store.items(of: tenantID)
            return try .ok(Listing(Items: items, Count: items.count))
        }
        return Application(router: router)
    }

    /// The caller's tenant: the claim from a JWT authorizer, or `tenant` from a Lambda authorizer's context.
    static func tenant(of caller: Caller) -> String? {
        caller.claims[BearerTokenVerifier.tenantClaim] ?? caller.claims["tenant"]
    }

    private static func newItemID() -> String { String(UInt64.random(in: 0...UInt64.max), radix: 36) }
}
