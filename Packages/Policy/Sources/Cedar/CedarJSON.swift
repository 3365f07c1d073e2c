@_spi(Gatehouse) public import JSON

/// Cedar's JSON formats for values, entities and requests (read with the house's one JSON reader, in one pass).
/// Entity references are `{"type","id"}` or `{"__entity":{"type","id"}}`; extension values
/// `{"__extn":{"fn":"decimal","arg":"1.5"}}`.
public enum CedarJSON {
    /// Why a document could not be read.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// `value` in Cedar's JSON form: `{"__entity":{"type","id"}}`, `{"__extn":{"fn","arg"}}`, arrays for sets.
    public static func json(_ value: CedarValue) -> JSONValue {
        switch value {
        case .bool(let flag): .bool(flag)
        case .long(let number): .number(Double(number))
        case .string(let text): .string(text)
        case .entity(let uid): .object(["__entity": .object(["type": .string(uid.type), "id": .string(uid.id)])])
        case .set(let members): .array(members.map(json))
        case .record(let fields): .object(fields.mapValues(json))
        case .decimal, .ip, .datetime, .duration:
            value.extensionLiteral.map { literal in
                .object(["__extn": .object(["fn": .string(literal.name == "ipaddr" ? "ip" : literal.name), "arg": .string(literal.text)])])
            } ?? .null
        }
    }

    /// The entities of a Cedar JSON entities document (an array of `{"uid","attrs","parents","tags"}`). With a
    /// `schema`, attributes and tags are read as their declared types and the schema's actions are entities too.
    public static func entities(_ bytes: [UInt8], schema: CedarSchema? = nil) throws -> CedarEntities {
        var all: [EntityUID: (entity: CedarEntity, parents: [EntityUID])] = [:]
        try wrap {
            try JSONScanner.scan(bytes) { scanner in
                try scanner.elements { scanner in
                    var uid: EntityUID?
                    var entity = CedarEntity()
                    var parents: [EntityUID] = []
                    try scanner.members { name, scanner in
                        switch name.text {
                        case "uid": uid = try entityUID(&scanner)
                        case "attrs": entity.attributes = try record(&scanner)
                        case "tags": entity.tags = try record(&scanner)
                        case "parents": try scanner.elements { parents.append(try entityUID(&$0)) }
                        default: throw Failure("unknown entity member \(name.text.prefix(40))")
                        }
                    }
                    guard let uid else { throw Failure("an entity without uid") }
                    if let declared = schema?.entityTypes[uid.type] {
                        entity.attributes = CedarSchema.conform(entity.attributes, to: declared.attributes)
                        if let tags = declared.tags { entity.tags = entity.tags.mapValues { CedarSchema.conform($0, to: tags) } }
                    }
                    guard all[uid] == nil else { throw Failure("entity \(uid) appears twice") }
                    all[uid] = (entity, parents)
                }
            }
        }
        for (uid, entry) in schema?.actionEntities ?? [:] where all[uid] == nil { all[uid] = entry }
        return CedarEntities(all)
    }

    /// A request line: `{"principal","action","resource","context","validateRequest"}` (other members ignored); with
    /// a `schema`, the context is read as the action declares it and, unless `validateRequest` is false, the request
    /// must fit the schema (`CedarSchema.problem(with:)`).
    public static func request(_ bytes: [UInt8], schema: CedarSchema? = nil) throws -> CedarRequest {
        var principal: EntityUID?, action: EntityUID?, resource: EntityUID?
        var context: [String: CedarValue] = [:]
        var validate = true
        try wrap {
            try JSONScanner.scan(bytes) { scanner in
                try scanner.members { name, scanner in
                    switch name.text {
                    case "principal": principal = try entityUID(&scanner)
                    case "action": action = try entityUID(&scanner)
                    case "resource": resource = try entityUID(&scanner)
                    case "context": context = try record(&scanner)
                    case "validateRequest": validate = try scanner.bool()
                    default: try scanner.skip()
                    }
                }
            }
        }
        guard let principal, let action, let resource else { throw Failure("a request needs principal, action and resource") }
        let request = CedarRequest(principal: principal, action: action, resource: resource,
                                   context: schema?.conformContext(context, of: action) ?? context)
        if validate, let problem = schema?.problem(with: request) { throw RequestProblem(description: problem) }
        return request
    }

    /// A request that does not fit the schema it was read with.
    public struct RequestProblem: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String
    }

    static func wrap<T>(_ body: () throws -> T) throws(Failure) -> T {
        do { return try body() } catch let failure as Failure { throw failure } catch { throw Failure("\(error)") }
    }

    /// `{"type","id"}` or `{"__entity":{"type","id"}}`.
    static func entityUID(_ scanner: inout JSONScanner) throws -> EntityUID {
        var type: String?, id: String?, escaped: EntityUID?
        try scanner.members { name, scanner in
            switch name.text {
            case "type": type = try scanner.string()
            case "id": id = try scanner.string()
            case "__entity": escaped = try entityUID(&scanner)
            default: throw Failure("unknown member \(name.text.prefix(40)) in an entity reference")
            }
        }
        if let escaped, type == nil, id == nil { return escaped }
        guard let type, let id, escaped == nil else { throw Failure("an entity reference needs type and id") }
        return EntityUID(type: type, id: id)
    }

    static func record(_ scanner: inout JSONScanner) throws -> [String: CedarValue] {
        var members: [String: CedarValue] = [:]
        try scanner.members { name, scanner in members[name.text] = try value(&scanner) }
        return members
    }

    /// A Cedar value from JSON: strings, integers, booleans, arrays as sets, objects as records unless escaped.
    static func value(_ scanner: inout JSONScanner) throws -> CedarValue {
        switch try scanner.kind() {
        case .string: return .string(try scanner.string())
        case .number: return .long(try scanner.integer())
        case .bool: return .bool(try scanner.bool())
        case .null: throw Failure("null is not a Cedar value")
        case .array:
            var values = Set<CedarValue>()
            try scanner.elements { values.insert(try value(&$0)) }
            return .set(values)
        case .object:
            var members: [String: CedarValue] = [:]
            var special: CedarValue?
            try scanner.members { name, scanner in
                switch name.text {
                case "__entity": special = .entity(try entityUID(&scanner))
                case "__extn": special = try extensionValue(&scanner)
                default: members[name.text] = try value(&scanner)
                }
            }
            guard let special else { return .record(members) }
            guard members.isEmpty else { throw Failure("__entity and __extn stand alone in their object") }
            return special
        }
    }

    /// `{"fn": NAME, "arg": VALUE}` or `{"fn": NAME, "args": [VALUE, …]}`: any extension function, evaluated.
    private static func extensionValue(_ scanner: inout JSONScanner) throws -> CedarValue {
        var function: String?, arguments: [CedarValue]?
        try scanner.members { name, scanner in
            switch name.text {
            case "fn": function = try scanner.string()
            case "arg": arguments = [try value(&scanner)]
            case "args":
                var list: [CedarValue] = []
                try scanner.elements { list.append(try value(&$0)) }
                arguments = list
            default: throw Failure("unknown member \(name.text.prefix(40)) in __extn")
            }
        }
        guard let name = function, let extensionFunction = CedarFunction(rawValue: name), let arguments else {
            throw Failure("__extn needs fn (an extension function) and arg or args")
        }
        do { return try CedarExtensions.call(extensionFunction, arguments) } catch {
            throw Failure("__extn \(name): \(error)")
        }
    }
}
