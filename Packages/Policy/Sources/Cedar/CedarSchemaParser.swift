/// Reads Cedar's human schema format (`.cedarschema`): namespaces, entity types (with `in`, attributes, `tags`,
/// `enum`), actions (with `in` and `appliesTo`) and common types.
struct CedarSchemaParser: CedarTokenReading {
    let tokens: [CedarToken]
    var position = 0
    private var namespace = ""
    private var builder = CedarSchemaBuilder()
    typealias UnresolvedType = CedarSchemaBuilder.UnresolvedType

    init(_ text: String) throws(CedarParseError) {
        tokens = try CedarLexer.tokens(text)
    }

    mutating func schema() throws(CedarParseError) -> CedarSchema {
        while current.kind != .end {
            skipAnnotations()
            if takeWord("namespace") {
                namespace = try path()
                try expect("{")
                while !isSymbol("}") { try declaration() }
                try expect("}")
                namespace = ""
            } else {
                try declaration()
            }
        }
        return builder.build()
    }

    // MARK: - Declarations

    private mutating func declaration() throws(CedarParseError) {
        skipAnnotations()
        if takeWord("entity") {
            var names = [qualified(try identifier())]
            while take(",") { names.append(qualified(try identifier())) }
            if takeWord("enum") {
                var ids: Set<String> = []
                try expect("[")
                while !isSymbol("]") {
                    ids.insert(try stringLiteral())
                    guard take(",") else { break }
                }
                try expect("]")
                try expect(";")
                for name in names { builder.entities.append(.init(name: name, namespace: namespace, enumeration: ids)) }
                return
            }
            let parents = takeWord("in") ? try typeList() : []
            var attributes: [String: (type: UnresolvedType, required: Bool)] = [:]
            _ = take("=")
            if isSymbol("{"), case .record(let members) = try type() { attributes = members }
            let tags = takeWord("tags") ? try type() : nil
            try expect(";")
            for name in names {
                builder.entities.append(.init(name: name, namespace: namespace, parents: parents, attributes: attributes, tags: tags))
            }
        } else if takeWord("action") {
            var names = [try name()]
            while take(",") { names.append(try name()) }
            var parents: [EntityUID] = []
            if takeWord("in") {
                if take("[") {
                    while !isSymbol("]") {
                        parents.append(try actionReference())
                        guard take(",") else { break }
                    }
                    try expect("]")
                } else {
                    parents.append(try actionReference())
                }
            }
            var context: UnresolvedType?
            var principals: [String] = [], resources: [String] = []
            if takeWord("appliesTo") {
                try expect("{")
                while !isSymbol("}") {
                    let part = try identifier()
                    try expect(":")
                    switch part {
                    case "context": context = try type()
                    case "principal": principals = try typeList()
                    case "resource": resources = try typeList()
                    default: throw error("appliesTo takes principal, resource and context")
                    }
                    guard take(",") else { break }
                }
                try expect("}")
            }
            if takeWord("attributes") { _ = try type() }
            try expect(";")
            for name in names {
                builder.actions.append(.init(uid: EntityUID(type: qualified("Action"), id: name), namespace: namespace,
                                             parents: parents, principals: principals, resources: resources, context: context))
            }
        } else if takeWord("type") {
            let name = qualified(try identifier())
            try expect("=")
            builder.commonTypes[name] = try type()
            try expect(";")
        } else {
            throw error("expected entity, action, type or namespace")
        }
    }

    /// `"name"` (an action of this namespace) or `Path::"name"`.
    private mutating func actionReference() throws(CedarParseError) -> EntityUID {
        if case .string = current.kind { return EntityUID(type: qualified("Action"), id: try stringLiteral()) }
        var parts = [try identifier()]
        while take("::") {
            if case .string = current.kind {
                let path = parts.joined(separator: "::")
                return EntityUID(type: parts.count == 1 ? qualified(path) : path, id: try stringLiteral())
            }
            parts.append(try identifier())
        }
        return EntityUID(type: qualified("Action"), id: parts.joined(separator: "::"))
    }

    private mutating func typeList() throws(CedarParseError) -> [String] {
        guard take("[") else { return [try path()] }
        var names: [String] = []
        while !isSymbol("]") {
            names.append(try path())
            guard take(",") else { break }
        }
        try expect("]")
        return names
    }

    private mutating func type() throws(CedarParseError) -> UnresolvedType {
        if take("{") {
            var members: [String: (type: UnresolvedType, required: Bool)] = [:]
            while !isSymbol("}") {
                skipAnnotations()
                let member = try name()
                let optional = take("?")
                try expect(":")
                members[member] = (try type(), !optional)
                guard take(",") else { break }
            }
            try expect("}")
            return .record(members)
        }
        let named = try path()
        if named == "Set" && take("<") {
            let element = try type()
            try expect(">")
            return .set(element)
        }
        return .named(named, namespace: namespace)
    }

    // MARK: - Names

    private func qualified(_ name: String) -> String { namespace.isEmpty ? name : namespace + "::" + name }

    private mutating func name() throws(CedarParseError) -> String {
        if case .string = current.kind { return try stringLiteral() }
        return try identifier()
    }


    private mutating func skipAnnotations() {
        while take("@") {
            _ = try? identifier()
            if take("(") {
                _ = try? stringLiteral()
                _ = take(")")
            }
        }
    }
}
