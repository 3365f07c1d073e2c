import JSON

extension CedarSchema {
    /// Parses the JSON schema format: `{NAMESPACE: {"entityTypes", "actions", "commonTypes"}}`.
    public init(json bytes: [UInt8]) throws(CedarJSON.Failure) {
        let document: [String: JSONValue]
        do { document = try JSONValue.object(parsing: bytes) } catch { throw CedarJSON.Failure("schema: \(error)") }
        var builder = CedarSchemaBuilder()
        for (namespace, body) in document {
            guard let declarations = body.objectValue else { throw CedarJSON.Failure("namespace \(namespace) is not an object") }
            let reader = CedarSchemaJSONReader(namespace: namespace)
            for (name, type) in declarations["commonTypes"]?.objectValue ?? [:] {
                builder.commonTypes[reader.qualified(name)] = try reader.type(type)
            }
            for (name, entity) in declarations["entityTypes"]?.objectValue ?? [:] {
                let members = entity.objectValue ?? [:]
                var declaration = CedarSchemaBuilder.Entity(name: reader.qualified(name), namespace: namespace)
                if case .record(let attributes)? = try members["shape"].map({ shape throws(CedarJSON.Failure) in try reader.type(shape) }) {
                    declaration.attributes = attributes
                }
                declaration.tags = try members["tags"].map { tags throws(CedarJSON.Failure) in try reader.type(tags) }
                declaration.parents = (members["memberOfTypes"]?.arrayValue ?? []).compactMap(\.stringValue)
                declaration.enumeration = members["enum"]?.arrayValue.map { Set($0.compactMap(\.stringValue)) }
                builder.entities.append(declaration)
            }
            for (name, action) in declarations["actions"]?.objectValue ?? [:] {
                let members = action.objectValue ?? [:]
                var declaration = CedarSchemaBuilder.Action(uid: EntityUID(type: reader.qualified("Action"), id: name),
                                                            namespace: namespace)
                declaration.parents = (members["memberOf"]?.arrayValue ?? []).compactMap { reference -> EntityUID? in
                    guard let id = reference.objectValue?["id"]?.stringValue else { return nil }
                    let type = reference.objectValue?["type"]?.stringValue
                    return EntityUID(type: type.map { $0.contains("::") ? $0 : reader.qualified($0) } ?? reader.qualified("Action"),
                                     id: id)
                }
                let appliesTo = members["appliesTo"]?.objectValue ?? [:]
                declaration.principals = (appliesTo["principalTypes"]?.arrayValue ?? []).compactMap(\.stringValue)
                declaration.resources = (appliesTo["resourceTypes"]?.arrayValue ?? []).compactMap(\.stringValue)
                declaration.context = try appliesTo["context"].map { context throws(CedarJSON.Failure) in try reader.type(context) }
                builder.actions.append(declaration)
            }
        }
        self = builder.build()
    }
}

/// Reads the JSON schema format's types within one namespace.
private struct CedarSchemaJSONReader {
    let namespace: String

    func qualified(_ name: String) -> String { namespace.isEmpty ? name : namespace + "::" + name }

    func type(_ value: JSONValue) throws(CedarJSON.Failure) -> CedarSchemaBuilder.UnresolvedType {
        guard let members = value.objectValue, let kind = members["type"]?.stringValue else {
            throw CedarJSON.Failure("a schema type needs \"type\"")
        }
        switch kind {
        case "Set":
            guard let element = members["element"] else { throw CedarJSON.Failure("a Set type needs \"element\"") }
            return .set(try type(element))
        case "Record":
            var attributes: [String: (type: CedarSchemaBuilder.UnresolvedType, required: Bool)] = [:]
            for (name, attribute) in members["attributes"]?.objectValue ?? [:] {
                attributes[name] = (try type(attribute), attribute.objectValue?["required"] != .bool(false))
            }
            return .record(attributes)
        case "Entity", "Extension", "EntityOrCommon":
            guard let name = members["name"]?.stringValue else { throw CedarJSON.Failure("a \(kind) type needs \"name\"") }
            return .named(name, namespace: namespace)
        case "Boolean": return .named("Bool", namespace: namespace)
        default: return .named(kind, namespace: namespace)
        }
    }
}
