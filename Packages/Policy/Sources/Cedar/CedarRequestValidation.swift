extension CedarSchema {
    /// Why `request` does not fit this schema (its action undeclared, a principal or resource type the action does
    /// not apply to, a context not of the action's context type), or nil when it fits: as the Lean model's
    /// `instanceOfRequestType`.
    public func problem(with request: CedarRequest) -> String? {
        guard let action = actions[request.action] else { return "action \(request.action) is not declared in the schema" }
        guard action.principals.contains(request.principal.type), isInstance(request.principal) else {
            return "principal \(request.principal) is not of a type \(request.action) applies to"
        }
        guard action.resources.contains(request.resource.type), isInstance(request.resource) else {
            return "resource \(request.resource) is not of a type \(request.action) applies to"
        }
        guard matches(.record(request.context), action.context ?? .record([:])) else {
            return "the context is not of the type \(request.action) declares"
        }
        return nil
    }

    /// Why an entity does not fit this schema (its type undeclared, an attribute undeclared or of another type, a
    /// required attribute missing, a parent of a type it may not be in), or nil when it fits.
    public func problem(withEntity uid: EntityUID, attributes: [String: CedarValue], parents: [EntityUID]) -> String? {
        guard let declared = entityTypes[uid.type] else { return "entity type \(uid.type) is not declared" }
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            guard let attribute = declared.attributes[name] else { return "\(uid.type) has no attribute \(name)" }
            guard matches(value, attribute.type) else { return "attribute \(name) of \(uid.type) is not of its declared type" }
        }
        if let missing = declared.attributes.filter({ $0.value.required && attributes[$0.key] == nil }).keys.sorted().first {
            return "\(uid.type) lacks its required attribute \(missing)"
        }
        if let stranger = parents.first(where: { !declared.parents.contains($0.type) }) {
            return "\(uid.type) may not be in \(stranger.type)"
        }
        return nil
    }

    private func isInstance(_ uid: EntityUID) -> Bool { isValidEntityUID(uid) || actions[uid] != nil }

    /// Whether `value` is of `type`: records closed (no attribute the type does not declare, every required one).
    private func matches(_ value: CedarValue, _ type: CedarType) -> Bool {
        switch (value, type) {
        case (.bool, .bool), (.long, .long), (.string, .string): return true
        case (.entity(let uid), .entity(let name)): return uid.type == name && isInstance(uid)
        case (.set(let values), .set(let element)): return values.allSatisfy { matches($0, element) }
        case (.record(let members), .record(let attributes)):
            return members.allSatisfy { name, member in attributes[name].map { matches(member, $0.type) } ?? false }
                && attributes.allSatisfy { name, attribute in !attribute.required || members[name] != nil }
        case (.decimal, .extension(.decimal)), (.ip, .extension(.ip)), (.datetime, .extension(.datetime)),
             (.duration, .extension(.duration)): return true
        default: return false
        }
    }
}
