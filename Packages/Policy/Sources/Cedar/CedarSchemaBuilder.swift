/// What a schema declares, as either schema format writes it; `build` resolves type names once all are known.
struct CedarSchemaBuilder {
    /// A type as written: names are resolved once every declaration is known.
    indirect enum UnresolvedType {
        case named(String, namespace: String)
        case set(UnresolvedType)
        /// Attributes with whether each is required.
        case record([String: (type: UnresolvedType, required: Bool)])
    }

    struct Entity {
        var name: String
        var namespace: String
        var parents: [String] = []
        var attributes: [String: (type: UnresolvedType, required: Bool)] = [:]
        var tags: UnresolvedType?
        /// The ids of an enumerated entity type.
        var enumeration: Set<String>?
    }

    struct Action {
        var uid: EntityUID
        var namespace: String
        var parents: [EntityUID] = []
        var principals: [String] = []
        var resources: [String] = []
        var context: UnresolvedType?
    }

    /// Common types by qualified name.
    var commonTypes: [String: UnresolvedType] = [:]
    var entities: [Entity] = []
    var actions: [Action] = []

    func build() -> CedarSchema {
        var schema = CedarSchema()
        let entityNames = Set(entities.map(\.name))
        for declaration in entities {
            var type = CedarSchema.EntityType()
            if case .record(let attributes) = resolve(.record(declaration.attributes), entityNames) { type.attributes = attributes }
            type.tags = declaration.tags.map { resolve($0, entityNames) }
            type.enumeration = declaration.enumeration
            type.parents = Set(declaration.parents.map { entityName($0, declaration.namespace, entityNames) })
            schema.entityTypes[declaration.name] = type
        }
        for declaration in actions {
            var action = CedarSchema.Action(parents: declaration.parents)
            action.context = declaration.context.map { resolve($0, entityNames) }
            action.principals = Set(declaration.principals.map { entityName($0, declaration.namespace, entityNames) })
            action.resources = Set(declaration.resources.map { entityName($0, declaration.namespace, entityNames) })
            schema.actions[declaration.uid] = action
        }
        schema.closeHierarchies()
        return schema
    }

    /// An entity type's name as written in `namespace`, qualified when the namespace declares it.
    private func entityName(_ name: String, _ namespace: String, _ entities: Set<String>) -> String {
        let local = namespace.isEmpty ? name : namespace + "::" + name
        return entities.contains(local) || !entities.contains(name) ? local : name
    }

    func resolve(_ type: UnresolvedType, _ entities: Set<String>, depth: Int = 0) -> CedarType {
        switch type {
        case .set(let element): return .set(resolve(element, entities, depth: depth))
        case .record(let members):
            return .record(members.mapValues { CedarType.Attribute(type: resolve($0.type, entities, depth: depth), required: $0.required) })
        case .named(let name, let space):
            let local = space.isEmpty ? name : space + "::" + name
            if depth < 32, let common = commonTypes[local] ?? commonTypes[name] {
                return resolve(common, entities, depth: depth + 1)
            }
            if entities.contains(local) { return .entity(local) }
            if entities.contains(name) { return .entity(name) }
            let builtin = name.hasPrefix("__cedar::") ? String(name.dropFirst(9)) : name
            switch builtin {
            case "Long": return .long
            case "String": return .string
            case "Bool", "Boolean": return .bool
            case "decimal": return .extension(.decimal)
            case "ipaddr": return .extension(.ip)
            case "datetime": return .extension(.datetime)
            case "duration": return .extension(.duration)
            default: return .entity(local)
            }
        }
    }
}
