public import HTTP
import ExampleTokens
import Policy
public import Storage

/// The wish-list API's routes.
public enum WishListRoutes {
    /// The `{"Items": […], "Count": n}` shape of list answers (as DynamoDB's, which the seed's API returned).
    struct Listing: Encodable {
        var Items: [WishItem]
        var Count: Int
    }

    /// The answer to a created item.
    struct Created: Encodable {
        var id: String
    }

    /// The application over `table` (the wish list and the shared lists), deciding about lists with `policies`,
    /// measured and audited through `observability` when given.
    public static func application(table: any Table, policies: (any PolicyDecider)?,
                                   observability: Observability? = nil) -> Application {
        let store = WishListStore(table: table)
        var router = Router(maxBodyBytes: 16 * 1024, policies: policies)
        // Public: only items that belong to no tenant. A tenant's items are listed only by its own route below.
        @Sendable func publicListing() async throws -> Listing {
            let items = try await store.publicItems()
            return Listing(Items: items, Count: items.count)
        }
        router.get("/wish-list", requires: .public, documented: .init(responses: [200: Listing.self])) { _, _ in
            try await publicListing()
        }
        router.post("/wish-list", requires: .scope(.writeWishlist),
                    documented: .init(request: NewItem.self, responses: [201: Created.self],
                                      errors: [409: "an item with this id exists (a replayed invocation)"])) { request, context in
            // The invocation's own id (seed 000's `context.awsRequestId`), not the event's: a replayed event is a
            // new item, not a collision.
            let id = request.invocationID.isEmpty ? newItemID() : request.invocationID
            let item = try request.decode(NewItem.self).validated(id: id)  // InvalidItem answers 400 itself
            do {
                try await store.add(item, by: context.caller.subject, tenant: context.caller.claims["tenant"])
            } catch let error as StorageError where error.code == .conditionalCheckFailed {
                throw HTTPError(.conflict, "an item with id \(item.id) already exists")
            }
            return try .created(Created(id: item.id))
        }
        router.get("/tenants/{tenantId}/wish-list", requires: .authenticated,
                   documented: .init(responses: [200: Listing.self])) { request, context in
            let tenantID = request.pathParameters["tenantId"] ?? ""
            // The REQUEST authorizer already denied other tenants; the handler checks again (defence in depth).
            try context.require(claim: "tenant", equals: tenantID, otherwise: "not a member of tenant \(tenantID)")
            let items = try await store.items(of: tenantID)
            return Listing(Items: items, Count: items.count)
        }
        // For services: `AWS_IAM` at the edge (a SigV4 signature); the audit line names the caller's ARN, its subject.
        router.get("/internal/wish-list", requires: .authenticated,
                   documented: .init(responses: [200: Listing.self], errors: [403: "the caller is not an IAM identity"])) { _, context in
            try context.require(source: .iam)
            return try await publicListing()
        }
        ListRoutes.add(to: &router, store: SharedListStore(table: table))
        // One name for the tenant and the groups whichever authorizer ran: the JWT authorizer passes the token's
        // namespaced claims, the Lambda authorizers put `tenant` in their context.
        return Application(router: router, claimNames: [ExampleTokens.tenantClaim: "tenant", ExampleTokens.groupsClaim: "groups"],
                           observability: observability)
    }

    private static func newItemID() -> String { String(UInt64.random(in: 0...UInt64.max), radix: 36) }
}

extension InvalidItem: HTTPRenderableError {
    /// A refused item is the caller's mistake: 400.
    public var status: HTTPStatus { .badRequest }
    /// The reason, for the caller.
    public var message: String { reason }
}
