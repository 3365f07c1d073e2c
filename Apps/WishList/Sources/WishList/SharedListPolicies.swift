public import Cedar
public import HTTP

/// A shared list as the policies see it (`policies/schema.cedarschema`): `List::"<id>"` with its owner as a
/// `User` entity, its tenant and the emails it is shared with.
extension SharedList: PolicyResource {
    public static let policyEntityType = "List"
    public var policyID: String { id }
    public var policyAttributes: [String: CedarValue] {
        ["owner": .entity(EntityUID(type: "User", id: owner)), "tenant": .string(tenant),
         "viewers": .set(Set(viewers.map { CedarValue.string($0) })),
         "editors": .set(Set(editors.map { CedarValue.string($0) }))]
    }
}

extension PolicyAction {
    /// Creating a list (asked about the new list: its owner and tenant are the caller's).
    static let createList: PolicyAction = "CreateList"
    /// Reading a list and its items.
    static let viewList: PolicyAction = "ViewList"
    /// Sharing a list with a user.
    static let shareList: PolicyAction = "ShareList"
    /// Adding an item to a list.
    static let addItem: PolicyAction = "AddItem"
    /// Deleting a list.
    static let deleteList: PolicyAction = "DeleteList"
}
