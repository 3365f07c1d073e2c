import ExampleTokens
public import JWT
import FoundationEssentials
public import Storage

/// A user who can log in.
public struct User: Sendable, Equatable {
    public var email: String
    public var name: String
    public var tenant: String?
    public var permissions: [String]
    public var password: PasswordHash

    /// A user.
    public init(email: String, name: String, tenant: String?, permissions: [String], password: PasswordHash) {
        self.email = email
        self.name = name
        self.tenant = tenant
        self.permissions = permissions
        self.password = password
    }
}

/// Users in a table keyed by email.
public struct UserStore: Sendable {
    /// The key schema the table must have.
    public static let schema = KeySchema(partitionKey: "email")

    private let table: any Table

    /// A store on `table`.
    public init(table: any Table) {
        self.table = table
    }

    /// The user with `email`, if any.
    public func user(email: String) async throws -> User? {
        guard let item = try await table.get(ItemKey(partition: .string(email.lowercased()))),
              case .binary(let salt)? = item["salt"], case .binary(let hash)? = item["hash"],
              let iterations = item["iterations"]?.numberValue, let name = item["name"]?.stringValue
        else { return nil }
        var permissions: [String] = []
        if case .stringSet(let set)? = item["permissions"] { permissions = set.sorted() }
        return User(email: email.lowercased(), name: name, tenant: item["tenant"]?.stringValue, permissions: permissions,
                    password: PasswordHash(salt: salt, hash: hash, iterations: Int(iterations)))
    }

    /// Adds `user`; false (and nothing changes) when a user with that email exists.
    @discardableResult
    public func add(_ user: User) async throws -> Bool {
        try await conditionHeld { try await table.put(Self.item(of: user), condition: .notExists) }
    }

    /// Replaces the permissions of the user with `email`; false when there is no such user.
    public func setPermissions(_ permissions: [String], email: String) async throws -> Bool {
        guard var user = try await user(email: email) else { return false }
        user.permissions = permissions
        return try await conditionHeld { try await table.put(Self.item(of: user), condition: .exists) }
    }

    /// Removes the user with `email`; false when there was none. Their refresh tokens stop working at next use.
    public func remove(email: String) async throws -> Bool {
        try await conditionHeld { try await table.delete(ItemKey(partition: .string(email.lowercased())), condition: .exists) }
    }

    /// Runs a conditional write: true when it was made, false when its condition did not hold.
    private func conditionHeld(_ write: () async throws -> Void) async throws -> Bool {
        do {
            try await write()
            return true
        } catch let error as StorageError where error.code == .conditionalCheckFailed {
            return false
        }
    }

    private static func item(of user: User) -> Item {
        var item: Item = ["email": .string(user.email.lowercased()), "name": .string(user.name),
                          "salt": .binary(user.password.salt), "hash": .binary(user.password.hash),
                          "iterations": .number(user.password.iterations)]
        if !user.permissions.isEmpty { item["permissions"] = .stringSet(Set(user.permissions)) }
        if let tenant = user.tenant { item["tenant"] = .string(tenant) }
        return item
    }

    /// Seeds the dev users of an identities file (`dev/identities.json`) that are not stored yet.
    public func seed(fromIdentitiesFile path: String) async throws {
        struct Identities: Decodable {
            struct Entry: Decodable { var email: String; var password: String; var permissions: [String]; var claims: [String: String] }
            var users: [Entry]
        }
        let identities = try JSONDecoder().decode(Identities.self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
        for entry in identities.users where try await user(email: entry.email) == nil {
            try await add(User(email: entry.email, name: entry.claims["name"] ?? entry.email,
                                        tenant: entry.claims[ExampleTokens.tenantClaim], permissions: entry.permissions,
                                        password: PasswordHash(password: entry.password)))
        }
    }
}
