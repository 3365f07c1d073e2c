public import JSON

/// The members of one event object (an authorizer's event, a function's proxy response), read by type: absent or
/// `null` is nil, any other shape than the one asked for is an error naming the member (as a `Decodable` would
/// refuse it). Events are read this way instead of through `JSONDecoder`, which cost more than most handlers.
@_spi(Gatehouse) public struct EventMembers {
    /// A member of another type than asked for.
    public struct Mismatch: Error {
        /// Its path (`requestContext.http`).
        public let member: String
    }

    let members: [String: JSONValue]
    let path: String

    /// The members of one object.
    public init(_ members: [String: JSONValue]) {
        self.init(members, path: "")
    }

    private init(_ members: [String: JSONValue], path: String) {
        self.members = members
        self.path = path
    }

    /// The member `name` as `extract` reads it: nil when absent or `null`, a mismatch when `extract` refuses it.
    private func member<T>(_ name: String, _ extract: (JSONValue) -> T?) throws(Mismatch) -> T? {
        guard let value = members[name], value != .null else { return nil }
        guard let typed = extract(value) else { throw Mismatch(member: path + name) }
        return typed
    }

    /// A string member.
    public func string(_ name: String) throws(Mismatch) -> String? { try member(name, \.stringValue) }

    func requiredString(_ name: String) throws(Mismatch) -> String {
        guard let text = try string(name) else { throw Mismatch(member: path + name) }
        return text
    }

    /// A boolean member.
    public func bool(_ name: String) throws(Mismatch) -> Bool? {
        try member(name) { if case .bool(let flag) = $0 { flag } else { nil } }
    }

    func values(_ name: String) throws(Mismatch) -> [String: JSONValue]? { try member(name, \.objectValue) }

    func object(_ name: String) throws(Mismatch) -> EventMembers? {
        try values(name).map { EventMembers($0, path: path + name + ".") }
    }

    /// A member that is a list of strings.
    public func strings(_ name: String) throws(Mismatch) -> [String]? { try member(name, Self.texts) }

    /// A member that is an object of strings.
    public func stringMap(_ name: String) throws(Mismatch) -> [String: String]? {
        try member(name) { value in value.objectValue.flatMap { Self.all($0, \.stringValue) } }
    }

    /// A member that is an object of string lists.
    public func stringListMap(_ name: String) throws(Mismatch) -> [String: [String]]? {
        try member(name) { value in value.objectValue.flatMap { Self.all($0, Self.texts) } }
    }

    private static func texts(_ value: JSONValue) -> [String]? {
        guard let elements = value.arrayValue else { return nil }
        let texts = elements.compactMap(\.stringValue)
        return texts.count == elements.count ? texts : nil
    }

    /// Every value of `members` read by `extract`, or nil when one is refused.
    private static func all<T>(_ members: [String: JSONValue], _ extract: (JSONValue) -> T?) -> [String: T]? {
        var map: [String: T] = [:]
        map.reserveCapacity(members.count)
        for (key, value) in members {
            guard let typed = extract(value) else { return nil }
            map[key] = typed
        }
        return map
    }
}
