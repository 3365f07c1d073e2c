public import Cedar

/// A resource that Cedar policies decide about — a list, a document — as the entity the policies see: the app's
/// type says which entity type it is, its id, the attributes the policies read and the entities it belongs to.
public protocol PolicyResource: Sendable {
    /// The Cedar entity type (`List`, `Docs::Folder`), declared in the policies' schema.
    static var policyEntityType: String { get }
    /// The entity id.
    var policyID: String { get }
    /// The attributes the policies read (`owner`, `tenant`, `editors`, …), as the schema declares them.
    var policyAttributes: [String: CedarValue] { get }
    /// The entities it is in (a folder, a team); none unless the type says so.
    var policyParents: [EntityUID] { get }
    /// One resource as the handler builds it, so `gatehouse check` can hold what handlers build against the schema
    /// (every attribute declared, of its type, none required missing) without running them.
    static var policySample: Self { get }
}

extension PolicyResource {
    public var policyParents: [EntityUID] { [] }

    /// The resource's entity id, `Type::"id"`.
    public var policyUID: EntityUID { EntityUID(type: Self.policyEntityType, id: policyID) }
}

/// A Cedar action a route asks the policies about (`Action::"AddItem"`), and, when declared with `on:`, a sample of
/// the resource it is asked about (what `--describe` shows and `gatehouse check` holds against the schema). Two
/// actions are equal when their names are.
public struct PolicyAction: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The action's id.
    public let name: String
    /// The resource type's `policySample`, as an entity.
    public let resourceSample: PolicyEntity?

    /// The action `name`.
    public init(_ name: String) { (self.name, resourceSample) = (name, nil) }
    public init(stringLiteral name: String) { self.init(name) }

    /// The action `name`, asked about resources of type `resource`.
    public init<Resource: PolicyResource>(_ name: String, on resource: Resource.Type) {
        (self.name, resourceSample) = (name, PolicyEntity(Resource.policySample))
    }

    public static func == (a: PolicyAction, b: PolicyAction) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// The action `name`, as a handler writes it: `.action("AddItem")`.
    public static func action(_ name: String) -> PolicyAction { PolicyAction(name) }

    public var description: String { name }
}

/// An entity as the policies see it: its id, attributes and the entities it is in.
public struct PolicyEntity: Sendable, Equatable {
    /// `Type::"id"`.
    public let uid: EntityUID
    /// Attributes by name.
    public let attributes: [String: CedarValue]
    /// The entities it is directly in.
    public let parents: [EntityUID]

    /// An entity.
    public init(uid: EntityUID, attributes: [String: CedarValue] = [:], parents: [EntityUID] = []) {
        self.uid = uid
        self.attributes = attributes
        self.parents = parents
    }

    /// `resource` as an entity.
    public init(_ resource: some PolicyResource) {
        self.init(uid: resource.policyUID, attributes: resource.policyAttributes, parents: resource.policyParents)
    }

    /// The caller as the principal: `User::"<subject>"` with the attributes `tenant` and `email` (empty text when
    /// the token has none, so a policy comparing them is false rather than skipped for an error) and its groups as
    /// parents, `Group::"<name>"`.
    public init(caller: Caller) {
        let attributes: [String: CedarValue] = ["tenant": .string(caller.claims["tenant"] ?? ""),
                                                "email": .string(caller.claims["email"] ?? "")]
        self.init(uid: EntityUID(type: "User", id: caller.subject), attributes: attributes,
                  parents: caller.groups.map { EntityUID(type: "Group", id: $0) })
    }
}

/// One question for the policies: may this principal do this action to this resource.
public struct PolicyQuestion: Sendable, Equatable {
    /// The caller.
    public let principal: PolicyEntity
    /// The action.
    public let action: PolicyAction
    /// The resource.
    public let resource: PolicyEntity

    /// A question.
    public init(principal: PolicyEntity, action: PolicyAction, resource: PolicyEntity) {
        self.principal = principal
        self.action = action
        self.resource = resource
    }
}

/// What the policies answered: allowed or not, the policies that determined it (the satisfied permits of an allow,
/// the satisfied forbids of a deny; none for a default deny) and those whose evaluation failed (skipped).
public struct PolicyDecision: Sendable, Equatable {
    /// Whether the action is allowed.
    public let allowed: Bool
    /// The determining policies' ids.
    public let policies: [String]
    /// The ids of policies skipped because their evaluation failed.
    public let errors: [String]

    /// A decision.
    public init(allowed: Bool, policies: [String], errors: [String] = []) {
        self.allowed = allowed
        self.policies = policies
        self.errors = errors
    }
}

/// Where decisions come from: the policies embedded in the function (`EmbeddedPolicies`) or a Verified Permissions
/// policy store. The same question gets the same decision from both.
public protocol PolicyDecider: Sendable {
    /// The policies' answer to `question`.
    func decide(_ question: PolicyQuestion) async throws -> PolicyDecision
}
