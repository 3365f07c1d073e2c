/// A wish list of its own, owned by one user of one tenant and shared with others by email, as viewer or editor.
public struct SharedList: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// The owner's subject.
    public var owner: String
    /// The owner's tenant, which the list never leaves.
    public var tenant: String
    /// Emails of the users who may see it.
    public var viewers: [String]
    /// Emails of the users who may see it and add items.
    public var editors: [String]

    /// A list.
    public init(id: String, name: String, owner: String, tenant: String, viewers: [String], editors: [String]) {
        self.id = id
        self.name = name
        self.owner = owner
        self.tenant = tenant
        self.viewers = viewers
        self.editors = editors
    }

    /// The list shared with `email` as `role` only: a second share to the same user replaces the first.
    public func sharing(with email: String, as role: ShareRole) -> SharedList {
        var list = self
        list.viewers.removeAll { $0 == email }
        list.editors.removeAll { $0 == email }
        switch role {
        case .viewer: list.viewers.append(email)
        case .editor: list.editors.append(email)
        }
        return list
    }
}

/// What a share grants.
public enum ShareRole: String, Codable, Sendable {
    case viewer, editor
}

/// A new list as a caller submits it.
public struct NewList: Codable, Sendable {
    public var name: String?

    /// The list's name, 1–100 characters.
    public func validatedName() throws(InvalidItem) -> String {
        guard let name = name?.trimmingSpaces, !name.isEmpty else { throw InvalidItem(reason: "name is required") }
        guard name.unicodeScalars.count <= 100 else { throw InvalidItem(reason: "name is longer than 100 characters") }
        return name
    }
}

/// A share as a caller submits it: `{"user": EMAIL, "role": "viewer"|"editor"}`.
public struct NewShare: Codable, Sendable {
    public var user: String?
    public var role: String?

    /// The email and role, or why not.
    public func validated() throws(InvalidItem) -> (email: String, role: ShareRole) {
        guard let user = user?.trimmingSpaces.lowercased(), user.contains("@"), user.unicodeScalars.count <= 254,
              !user.unicodeScalars.contains(where: { $0.isSchemaWhitespace || $0.value < 0x20 })
        else { throw InvalidItem(reason: "user must be an email address") }
        guard let role = role.flatMap(ShareRole.init(rawValue:)) else {
            throw InvalidItem(reason: "role must be viewer or editor")
        }
        return (user, role)
    }
}
