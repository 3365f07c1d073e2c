import JSON

extension CedarSchema {
    /// The schema in Cedar's JSON form (what Verified Permissions' `PutSchema` takes as `cedarJson`): one member per
    /// namespace, types referred to by their qualified names. Entity types list every type they may be in (the
    /// declared ones and theirs, transitively), which validates the same.
    public var jsonBytes: [UInt8] {
        var namespaces: [String: (entities: [String: JSONValue], actions: [String: JSONValue])] = [:]
        func split(_ qualified: String) -> (namespace: String, name: String) {
            let parts = qualified.split(separator: "::", omittingEmptySubsequences: false)
            return (parts.dropLast().joined(separator: "::"), String(parts.last ?? ""))
        }
        for (name, entity) in entityTypes {
            var members: [String: JSONValue] = ["memberOfTypes": .array(entity.parents.sorted().map { .string($0) })]
            if !entity.attributes.isEmpty { members["shape"] = Self.json(.record(entity.attributes)) }
            if let tags = entity.tags { members["tags"] = Self.json(tags) }
            if let enumeration = entity.enumeration { members["enum"] = .array(enumeration.sorted().map { .string($0) }) }
            let (namespace, local) = split(name)
            namespaces[namespace, default: ([:], [:])].entities[local] = .object(members)
        }
        for (uid, action) in actions {
            var appliesTo: [String: JSONValue] = [
                "principalTypes": .array(action.principals.sorted().map { .string($0) }),
                "resourceTypes": .array(action.resources.sorted().map { .string($0) }),
            ]
            if let context = action.context { appliesTo["context"] = Self.json(context) }
            let memberOf = action.parents.map { JSONValue.object(["type": .string($0.type), "id": .string($0.id)]) }
            namespaces[split(uid.type).namespace, default: ([:], [:])].actions[uid.id] =
                .object(["appliesTo": .object(appliesTo), "memberOf": .array(memberOf)])
        }
        let document = JSONValue.object(namespaces.mapValues { declarations in
            .object(["entityTypes": .object(declarations.entities), "actions": .object(declarations.actions)])
        })
        return Array(document.jsonText.utf8)
    }

    private static func json(_ type: CedarType) -> JSONValue {
        switch type {
        case .long: ["type": "Long"]
        case .string: ["type": "String"]
        case .bool: ["type": "Boolean"]
        case .set(let element): .object(["type": "Set", "element": json(element)])
        case .entity(let name): .object(["type": "Entity", "name": .string(name)])
        case .extension(let function): .object(["type": "Extension", "name": .string(function == .ip ? "ipaddr" : function.rawValue)])
        case .record(let attributes):
            .object(["type": "Record", "attributes": .object(attributes.mapValues { attribute in
                guard case .object(var members) = json(attribute.type) else { return json(attribute.type) }
                members["required"] = .bool(attribute.required)
                return .object(members)
            })])
        }
    }
}
