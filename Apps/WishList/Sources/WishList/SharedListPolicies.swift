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

    /// Ada's list, shared with carol as viewer and with dana as editor.
    public static let policySample = SharedList(id: "sample", name: "Birthday", owner: "auth0|ada@example.com", tenant: "acme",
                                                viewers: ["carol@example.com"], editors: ["dana@example.com"])
}

/// The actions the list routes ask, each about a `SharedList`.
extension PolicyAction {
    /// Creating a list (asked about the new list: its owner and tenant are the caller's).
    static let createList = PolicyAction("CreateList", on: SharedList.self)
    /// Reading a list and its items.
    static let viewList = PolicyAction("ViewList", on: SharedList.self)
    /// Sharing a list with a user.
    static let shareList = PolicyAction("ShareList", on: SharedList.self)
    /// Adding an item to a list.
    static let addItem = PolicyAction("AddItem", on: SharedList.self)
    /// Deleting a list.
    static let deleteList = PolicyAction("DeleteList", on: SharedList.self)
}
