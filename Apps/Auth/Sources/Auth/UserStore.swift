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

    /// Adds `user` unless a user with that email exists.
    public func addIfMissing(_ user: User) async throws {
        var item: Item = ["email": .string(user.email.lowercased()), "name": .string(user.name),
                          "salt": .binary(user.password.salt), "hash": .binary(user.password.hash),
                          "iterations": .number(user.password.iterations)]
        if !user.permissions.isEmpty { item["permissions"] = .stringSet(Set(user.permissions)) }
        if let tenant = user.tenant { item["tenant"] = .string(tenant) }
        do {
            try await table.put(item, condition: .notExists)
        } catch let error as StorageError where error.code == .conditionalCheckFailed {
            return
        }
    }

    /// Seeds the dev users of an identities file (`dev/identities.json`) that are not stored yet.
    public func seed(fromIdentitiesFile path: String) async throws {
        struct Identities: Decodable {
            struct Entry: Decodable { var email: String; var password: String; var permissions: [String]; var claims: [String: String] }
            var users: [Entry]
        }
        let identities = try JSONDecoder().decode(Identities.self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
        for entry in identities.users where try await user(email: entry.email) == nil {
            try await addIfMissing(User(email: entry.email, name: entry.claims["name"] ?? entry.email,
                                        tenant: entry.claims[ExampleTokens.tenantClaim], permissions: entry.permissions,
                                        password: PasswordHash(password: entry.password)))
        }
    }
}
