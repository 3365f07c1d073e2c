import FoundationEssentials
import JSON

/// Verified Permissions' shapes of requests, entities and attribute values, turned into Cedar's JSON forms (the
/// ones `CedarJSON` reads): `{"entityType","entityId"}` → `{"type","id"}`, `{"ipaddr": "10.0.0.1"}` →
/// `{"__extn":{"fn":"ip","arg":"10.0.0.1"}}`, and so on.
enum VerifiedPermissionsValues {
    typealias Failure = VerifiedPermissionsAPI.Failure

    /// The Cedar request and entities documents of an `IsAuthorized` request (or one of a batch's).
    static func cedarJSON(request: [String: JSONValue], entities: JSONValue?) throws -> (request: JSONValue, entities: JSONValue) {
        func entity(_ name: String, type: String, id: String) throws -> JSONValue {
            guard let object = request[name]?.objectValue, let entityType = object[type]?.stringValue,
                  let entityID = object[id]?.stringValue else {
                throw Failure.validation("\(name) is required (\(type) and \(id))")
            }
            return .object(["type": .string(entityType), "id": .string(entityID)])
        }
        var context: JSONValue = .object([:])
        if let definition = request["context"]?.objectValue {
            if let text = definition["cedarJson"]?.stringValue {
                context = .object(try parsed(text, "context.cedarJson"))
            } else if let map = definition["contextMap"]?.objectValue {
                context = .object(try map.mapValues(value))
            }
        }
        let cedarRequest = JSONValue.object([
            "principal": try entity("principal", type: "entityType", id: "entityId"),
            "action": try entity("action", type: "actionType", id: "actionId"),
            "resource": try entity("resource", type: "entityType", id: "entityId"),
            "context": context,
        ])
        var list: [JSONValue] = []
        if let text = entities?.objectValue?["cedarJson"]?.stringValue {
            guard case .array(let items)? = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
                throw Failure.validation("entities.cedarJson must be an array")
            }
            list = items
        } else {
            for item in entities?.objectValue?["entityList"]?.arrayValue ?? [] {
                let fields = item.objectValue ?? [:]
                guard let identifier = fields["identifier"].flatMap(self.identifier) else {
                    throw Failure.validation("an entity needs an identifier")
                }
                list.append(.object([
                    "uid": identifier,
                    "attrs": .object(try (fields["attributes"]?.objectValue ?? [:]).mapValues(value)),
                    "parents": .array(try (fields["parents"]?.arrayValue ?? []).map { parent in
                        guard let uid = self.identifier(parent) else { throw Failure.validation("a parent needs an identifier") }
                        return uid
                    }),
                    "tags": .object(try (fields["tags"]?.objectValue ?? [:]).mapValues(value)),
                ]))
            }
        }
        return (cedarRequest, .array(list))
    }

    private static func identifier(_ value: JSONValue) -> JSONValue? {
        guard let type = value.objectValue?["entityType"]?.stringValue, let id = value.objectValue?["entityId"]?.stringValue
        else { return nil }
        return .object(["type": .string(type), "id": .string(id)])
    }

    /// One `AttributeValue` (a union: exactly one member set) in Cedar's JSON form.
    static func value(_ attribute: JSONValue) throws -> JSONValue {
        guard let members = attribute.objectValue, members.count == 1, let (kind, inner) = members.first else {
            throw Failure.validation("an attribute value must set exactly one member")
        }
        switch kind {
        case "boolean", "long", "string": return inner
        case "entityIdentifier":
            guard let uid = identifier(inner) else { throw Failure.validation("entityIdentifier needs entityType and entityId") }
            return .object(["__entity": uid])
        case "set": return .array(try (inner.arrayValue ?? []).map(value))
        case "record": return .object(try (inner.objectValue ?? [:]).mapValues(value))
        case "ipaddr", "decimal", "datetime", "duration":
            return .object(["__extn": .object(["fn": .string(kind == "ipaddr" ? "ip" : kind), "arg": inner])])
        default: throw Failure.validation("unknown attribute value member \(kind)")
        }
    }

    private static func parsed(_ text: String, _ name: String) throws -> [String: JSONValue] {
        do { return try JSONValue.object(parsing: Array(text.utf8)) } catch { throw Failure.validation("\(name) is not a JSON object") }
    }
}
