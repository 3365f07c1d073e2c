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
                let shape = try entity.objectValue?["shape"].map { shape throws(CedarJSON.Failure) in try reader.type(shape) }
                var attributes: [String: CedarSchemaBuilder.UnresolvedType] = [:]
                if case .record(let members)? = shape { attributes = members }
                let tags = try entity.objectValue?["tags"].map { tags throws(CedarJSON.Failure) in try reader.type(tags) }
                builder.entities.append((reader.qualified(name), attributes, tags))
            }
            for (name, action) in declarations["actions"]?.objectValue ?? [:] {
                let parents = (action.objectValue?["memberOf"]?.arrayValue ?? []).compactMap { reference -> EntityUID? in
                    guard let id = reference.objectValue?["id"]?.stringValue else { return nil }
                    let type = reference.objectValue?["type"]?.stringValue
                    return EntityUID(type: type.map { $0.contains("::") ? $0 : reader.qualified($0) } ?? reader.qualified("Action"),
                                     id: id)
                }
                let context = try action.objectValue?["appliesTo"]?.objectValue?["context"].map { context throws(CedarJSON.Failure) in
                    try reader.type(context)
                }
                builder.actions.append((EntityUID(type: reader.qualified("Action"), id: name), parents, context))
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
            var attributes: [String: CedarSchemaBuilder.UnresolvedType] = [:]
            for (name, attribute) in members["attributes"]?.objectValue ?? [:] { attributes[name] = try type(attribute) }
            return .record(attributes)
        case "Entity", "Extension", "EntityOrCommon":
            guard let name = members["name"]?.stringValue else { throw CedarJSON.Failure("a \(kind) type needs \"name\"") }
            return .named(name, namespace: namespace)
        case "Boolean": return .named("Bool", namespace: namespace)
        default: return .named(kind, namespace: namespace)
        }
    }
}
