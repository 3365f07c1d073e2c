import Cedar

/// What `gatehouse new NAME --policy` adds to an app: a resource type the policies decide about, its action, the
/// schema declaring both, and a starting policy file — the owner may view, and nothing crosses tenants — in
/// `cedar format`'s layout. The route asks the action of a sample record owned by the first dev user; the app's
/// store replaces the sample.
struct PolicyScaffold {
    let typeName: String
    /// The first dev user's subject (`auth0|ada@example.com`) and tenant: the sample record's owner.
    let owner: String
    let tenant: String
    /// The starting policy file, laid out as `cedar format` lays it out.
    let text: String

    init(typeName: String, owner: String, tenant: String) throws {
        self.typeName = typeName
        self.owner = owner
        self.tenant = tenant
        text = try CedarFormatter.format(Self.startingPolicies(action: "View" + typeName))
    }

    /// `NotesRecord`.
    var resourceType: String { typeName + "Record" }
    /// `ViewNotes`.
    var action: String { "View" + typeName }
    /// `viewNotes`.
    var actionIdentifier: String { "view" + typeName }

    var schema: String {
        """
        // What the policies of this app see. The principal is built by the framework from the caller (HTTP's
        // `PolicyEntity(caller:)`); the resource by the app (`\(resourceType).policyAttributes`).
        entity Group;

        entity User in [Group] = {
          tenant: String,
          email: String,
        };

        entity \(resourceType) = {
          owner: User,
          tenant: String,
        };

        action \(action) appliesTo {
          principal: [User],
          resource: [\(resourceType)],
        };

        """
    }

    private static func startingPolicies(action: String) -> String {
        """
            // Who may view a record: its owner (ReBAC) — and nobody across tenants, whatever a permit says (a forbid
            // overrides every permit; a caller without a tenant is outside every tenant).
            @id("owner")
            permit (principal, action == Action::"\(action)", resource)
            when { resource.owner == principal };

            @id("same-tenant")
            forbid (principal, action, resource)
            unless { principal.tenant != "" && principal.tenant == resource.tenant };
            """
    }

    var resource: String {
        """
        public import Cedar
        public import HTTP

        /// What the route returns and the policies decide about: a record with an owner, in a tenant.
        public struct \(resourceType): PolicyResource, Sendable {
            public static let policyEntityType = "\(resourceType)"
            public let id: String
            /// The owner's subject.
            public let owner: String
            public let tenant: String

            public var policyID: String { id }
            public var policyAttributes: [String: CedarValue] {
                ["owner": .entity(EntityUID(type: "User", id: owner)), "tenant": .string(tenant)]
            }

            /// A sample record, owned by the first dev user: the route reads it until your store replaces it, and
            /// `gatehouse check` holds its attributes against the schema.
            public static let policySample = \(resourceType)(id: "sample", owner: "\(owner)", tenant: "\(tenant)")
        }

        extension PolicyAction {
            /// Viewing a record (declared in `policies/schema.cedarschema`).
            public static let \(actionIdentifier) = PolicyAction("\(action)", on: \(resourceType).self)
        }

        """
    }
}
