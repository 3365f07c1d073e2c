/// What a schema declares, as either schema format writes it; `build` resolves type names once all are known.
struct CedarSchemaBuilder {
    /// A type as written: names are resolved once every declaration is known.
    indirect enum UnresolvedType {
        case named(String, namespace: String)
        case set(UnresolvedType)
        case record([String: UnresolvedType])
    }

    /// Common types by qualified name.
    var commonTypes: [String: UnresolvedType] = [:]
    var entities: [(name: String, attributes: [String: UnresolvedType], tags: UnresolvedType?)] = []
    var actions: [(uid: EntityUID, parents: [EntityUID], context: UnresolvedType?)] = []

    func build() -> CedarSchema {
        var schema = CedarSchema()
        let entityNames = Set(entities.map(\.name))
        for declaration in entities {
            var type = CedarSchema.EntityType()
            type.attributes = declaration.attributes.mapValues { resolve($0, entityNames) }
            type.tags = declaration.tags.map { resolve($0, entityNames) }
            schema.entityTypes[declaration.name] = type
        }
        for declaration in actions {
            schema.actions[declaration.uid] = CedarSchema.Action(parents: declaration.parents,
                                                                 context: declaration.context.map { resolve($0, entityNames) })
        }
        return schema
    }

    func resolve(_ type: UnresolvedType, _ entities: Set<String>, depth: Int = 0) -> CedarType {
        switch type {
        case .set(let element): return .set(resolve(element, entities, depth: depth))
        case .record(let members): return .record(members.mapValues { resolve($0, entities, depth: depth) })
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
