/// A type of Cedar's schema language.
indirect enum CedarType: Sendable, Equatable {
    /// A record attribute's type, and whether the attribute must be there.
    struct Attribute: Sendable, Equatable {
        var type: CedarType
        var required: Bool
    }

    case long, string, bool
    case set(CedarType)
    case record([String: Attribute])
    case entity(String)
    /// `decimal`, `ipaddr`, `datetime` or `duration`.
    case `extension`(CedarFunction)
}

/// A Cedar schema (the human `.cedarschema` form): entity types with their attributes and tags, actions with their
/// groups and context. Entities and contexts are read with it (`{"type","id"}` where an entity is declared, `"1.5"`
/// where a decimal is), and its actions are entities of their own, as in Rust's Cedar.
public struct CedarSchema: Sendable {
    struct EntityType: Sendable {
        var attributes: [String: CedarType.Attribute] = [:]
        var tags: CedarType?
        /// The entity types it may be a member of: declared, then closed transitively.
        var parents: Set<String> = []
        /// The ids an enumerated entity type has; nil for any id.
        var enumeration: Set<String>?
    }

    struct Action: Sendable {
        /// Its action groups: declared, then closed transitively (`ancestors`).
        var parents: [EntityUID] = []
        var ancestors: Set<EntityUID> = []
        var principals: Set<String> = []
        var resources: Set<String> = []
        var context: CedarType?
    }

    var entityTypes: [String: EntityType] = [:]
    var actions: [EntityUID: Action] = [:]

    /// The actions it declares (`Action::"view"`, `NS::Action::"view"`).
    public var declaredActions: Set<EntityUID> { Set(actions.keys) }

    /// The attribute names `entityType` declares; nil when the schema does not declare the type.
    public func attributeNames(of entityType: String) -> Set<String>? {
        entityTypes[entityType].map { Set($0.attributes.keys) }
    }

    /// The attribute names of the record at `path` in `action`'s context (the context itself for `[]`); nil when
    /// the action or the record is not declared.
    public func contextAttributeNames(of action: EntityUID, at path: [String] = []) -> Set<String>? {
        guard case .record(var attributes)? = actions[action]?.context else { return nil }
        for name in path {
            guard case .record(let inner)? = attributes[name]?.type else { return nil }
            attributes = inner
        }
        return Set(attributes.keys)
    }

    /// Parses the human schema format.
    public init(text: String) throws(CedarParseError) {
        var parser = try CedarSchemaParser(text)
        self = try parser.schema()
    }

    init() {}

    /// The schema's actions as entities, with their groups.
    var actionEntities: [EntityUID: (entity: CedarEntity, parents: [EntityUID])] {
        actions.mapValues { (CedarEntity(), $0.parents) }
    }

    /// Closes entity-type membership and action groups transitively.
    mutating func closeHierarchies() {
        for name in entityTypes.keys {
            var seen: Set<String> = [], pending = Array(entityTypes[name]!.parents)
            while let next = pending.popLast() {
                if seen.insert(next).inserted { pending += entityTypes[next]?.parents ?? [] }
            }
            entityTypes[name]!.parents = seen
        }
        for uid in actions.keys {
            var seen: Set<EntityUID> = [], pending = actions[uid]!.parents
            while let next = pending.popLast() {
                if seen.insert(next).inserted { pending += actions[next]?.parents ?? [] }
            }
            actions[uid]!.ancestors = seen
        }
    }

    /// `context` read as `action`'s declared context type says.
    func conformContext(_ context: [String: CedarValue], of action: EntityUID) -> [String: CedarValue] {
        guard case .record(let attributes)? = actions[action]?.context else { return context }
        return Self.conform(context, to: attributes)
    }

    /// `value` read as `type` says: a record `{"type","id"}` where an entity is declared, a string where an
    /// extension value is; anything else as it is.
    static func conform(_ value: CedarValue, to type: CedarType) -> CedarValue {
        switch (type, value) {
        case (.entity, .record(let members)) where members.count == 2:
            guard case .string(let entityType)? = members["type"], case .string(let id)? = members["id"] else { return value }
            return .entity(EntityUID(type: entityType, id: id))
        case (.extension(let function), .string(let text)):
            return (try? CedarExtensions.call(function, [.string(text)])) ?? value
        case (.set(let element), .set(let values)):
            return .set(Set(values.map { conform($0, to: element) }))
        case (.record(let attributes), .record(let members)):
            return .record(conform(members, to: attributes))
        default:
            return value
        }
    }

    static func conform(_ members: [String: CedarValue], to attributes: [String: CedarType.Attribute]) -> [String: CedarValue] {
        var result = members
        for (name, value) in members {
            if let attribute = attributes[name] { result[name] = conform(value, to: attribute.type) }
        }
        return result
    }
}
