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
    /// The granted scopes' names, sorted, each once: a token grants a handful, so a search through them is cheaper
    /// than hashing each into a `Set` on every request.
    private let names: [String]

    /// Scopes from a space-separated `scope` claim (`"read:profile write:wishlist"`).
    public init(spaceSeparated text: String) {
        var names: [String] = []
        Self.split(text, into: &names)
        self.names = Self.sortedUnique(names)
    }

    /// Scopes from a list (an `scp` array, or API Gateway's `jwt.scopes`); entries holding spaces are split.
    public init(_ list: [String]) {
        var names: [String] = []
        names.reserveCapacity(list.count)
        for entry in list { Self.split(entry, into: &names) }
        self.names = Self.sortedUnique(names)
    }

    /// The names between spaces, split on the byte (scope names are ASCII, RFC 6749 §3.3; splitting by
    /// `Character` cost more than the rest of building a caller).
    private static func split(_ text: String, into names: inout [String]) {
        for name in text.utf8.split(separator: UInt8(ascii: " ")) { names.append(String(Substring(name))) }
    }

    private static func sortedUnique(_ names: [String]) -> [String] {
        guard names.count > 1 else { return names }
        var unique: [String] = []
        unique.reserveCapacity(names.count)
        for name in names.sorted() where unique.last != name { unique.append(name) }
        return unique
    }

    /// The granted scopes.
    public var scopes: Set<Scope> { Set(names.map { Scope($0) }) }

    /// True when `scope` was granted.
    public func contains(_ scope: Scope) -> Bool { names.contains(scope.name) }

    /// The scopes, sorted and space-separated (the `scope` claim form).
    public var spaceSeparated: String { names.joined(separator: " ") }
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
