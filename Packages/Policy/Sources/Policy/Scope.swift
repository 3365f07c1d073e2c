/// One OAuth 2.0 scope (`write:wishlist`), compared whole and case-sensitively.
public struct Scope: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The scope's name.
    public let name: String

    /// A scope named `name`.
    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }
    public var description: String { name }
}

/// The scopes a caller was granted.
public struct ScopeSet: Sendable, Equatable {
    /// The granted scopes.
    public let scopes: Set<Scope>

    /// Scopes from a space-separated `scope` claim (`"read:profile write:wishlist"`).
    public init(spaceSeparated text: String) {
        scopes = Set(Self.names(text))
    }

    /// Scopes from a list (an `scp` array, or API Gateway's `jwt.scopes`); entries holding spaces are split.
    public init(_ list: [String]) {
        scopes = Set(list.flatMap(Self.names))
    }

    /// The names between spaces, split on the byte (scope names are ASCII, RFC 6749 §3.3; splitting by
    /// `Character` cost more than the rest of building a caller).
    private static func names(_ text: String) -> [Scope] {
        text.utf8.split(separator: UInt8(ascii: " ")).map { Scope(String(Substring($0))) }
    }

    /// True when `scope` was granted.
    public func contains(_ scope: Scope) -> Bool { scopes.contains(scope) }

    /// The scopes, sorted and space-separated (the `scope` claim form).
    public var spaceSeparated: String { scopes.map(\.name).sorted().joined(separator: " ") }
}

/// What a caller must hold: every scope of a list, or any one of them.
public enum ScopeRequirement: Sendable, Equatable {
    /// All of these scopes.
    case allOf([Scope])
    /// At least one of these scopes.
    case anyOf([Scope])

    /// The requirement of a single scope.
    public static func scope(_ scope: Scope) -> ScopeRequirement { .allOf([scope]) }

    /// The first scope the caller lacks, for the 403 message; nil when satisfied.
    public func missing(from granted: ScopeSet) -> Scope? {
        switch self {
        case .allOf(let required):
            return required.first { !granted.contains($0) }
        case .anyOf(let choices):
            return choices.contains(where: granted.contains) ? nil : choices.first
        }
    }

    /// True when `granted` satisfies the requirement.
    public func isSatisfied(by granted: ScopeSet) -> Bool { missing(from: granted) == nil }
}
