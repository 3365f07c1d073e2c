/// One entity: its attributes, its ancestors (transitively closed) and its tags.
public struct CedarEntity: Sendable {
    /// Attributes by name.
    public var attributes: [String: CedarValue]
    /// Every ancestor: parents, their parents, and so on.
    public var ancestors: Set<EntityUID>
    /// Tags by key.
    public var tags: [String: CedarValue]

    /// An entity.
    public init(attributes: [String: CedarValue] = [:], ancestors: Set<EntityUID> = [], tags: [String: CedarValue] = [:]) {
        self.attributes = attributes
        self.ancestors = ancestors
        self.tags = tags
    }
}

/// The entities a request is authorized against: parsed once, ancestors closed once.
public struct CedarEntities: Sendable {
    private(set) var entities: [EntityUID: CedarEntity]

    /// `entities` with their direct `parents`; the hierarchy is closed transitively here.
    public init(_ entities: [EntityUID: (entity: CedarEntity, parents: [EntityUID])]) {
        // The usual request (a user in groups, a resource): no parent has parents of its own, so each entity's
        // ancestors are its parents, with no walk and no second dictionary.
        let nested = entities.values.contains { entry in entry.parents.contains { entities[$0]?.parents.isEmpty == false } }
        guard nested else {
            self.entities = entities.mapValues { entry in
                var entity = entry.entity
                entity.ancestors = Set(entry.parents)
                return entity
            }
            return
        }
        var closed: [EntityUID: CedarEntity] = [:]
        var done: [EntityUID: Set<EntityUID>] = [:]
        func ancestors(of uid: EntityUID, visiting: inout Set<EntityUID>) -> Set<EntityUID> {
            if let known = done[uid] { return known }
            guard let parents = entities[uid]?.parents, visiting.insert(uid).inserted else { return [] }
            var result = Set(parents)
            for parent in parents { result.formUnion(ancestors(of: parent, visiting: &visiting)) }
            visiting.remove(uid)
            done[uid] = result
            return result
        }
        for (uid, entry) in entities {
            var visiting: Set<EntityUID> = []
            var entity = entry.entity
            entity.ancestors = ancestors(of: uid, visiting: &visiting)
            closed[uid] = entity
        }
        self.entities = closed
    }

    /// No entities.
    public init() { entities = [:] }

    /// The entity with `uid`, if there is one.
    public subscript(uid: EntityUID) -> CedarEntity? { entities[uid] }
}
