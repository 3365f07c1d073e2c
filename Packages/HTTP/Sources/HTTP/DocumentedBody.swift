import FoundationEssentials
public import JWT

/// A JSON Schema (the part OpenAPI 3.1 documents use) for a request or response body.
public struct JSONSchema: Sendable, Equatable {
    /// The schema as JSON.
    public let json: JSONValue

    /// Any string; `format` (`uri`, `date-time`…) and length bounds when given.
    public static func string(format: String? = nil, minLength: Int? = nil, maxLength: Int? = nil) -> JSONSchema {
        var members: [String: JSONValue] = ["type": "string"]
        if let format { members["format"] = .string(format) }
        if let minLength { members["minLength"] = .number(Double(minLength)) }
        if let maxLength { members["maxLength"] = .number(Double(maxLength)) }
        return JSONSchema(json: .object(members))
    }

    /// Any string.
    public static let string = string()
    /// An integer.
    public static let integer = JSONSchema(json: ["type": "integer"])

    /// An array of `items`.
    public static func array(of items: JSONSchema) -> JSONSchema {
        JSONSchema(json: ["type": "array", "items": items.json])
    }

    /// An object with `properties`, of which `required` must be present.
    public static func object(_ properties: [String: JSONSchema], required: [String] = []) -> JSONSchema {
        var members: [String: JSONValue] = ["type": "object", "properties": .object(properties.mapValues(\.json))]
        if !required.isEmpty { members["required"] = .array(required.sorted().map { .string($0) }) }
        return JSONSchema(json: .object(members))
    }
}

/// A body type a route reads or answers with, documented for OpenAPI (`gatehouse openapi`) and for the
/// authorization matrix, which sends the example: its schema, and an example that passes the handler's checks.
public protocol DocumentedBody: Encodable {
    /// Its JSON Schema.
    static var schema: JSONSchema { get }
    /// A valid example.
    static var example: Self { get }
}

/// What a route documents about its bodies; an empty one documents nothing.
public struct BodyDocumentation: Sendable, Equatable {
    /// The request body's schema and example.
    public var request: Body?
    /// Each success status's body.
    public var responses: [Int: Body]

    /// A body's schema and example.
    public struct Body: Sendable, Equatable {
        public var schema: JSONValue
        public var example: JSONValue
    }

    /// Documentation of `request` and of the `responses` by status.
    public init(request: (any DocumentedBody.Type)? = nil, responses: [Int: any DocumentedBody.Type] = [:]) {
        self.request = request.map(Self.body(of:))
        self.responses = responses.mapValues(Self.body(of:))
    }

    init(request: Body?, responses: [Int: Body]) {
        self.request = request
        self.responses = responses
    }

    private static func body(of type: any DocumentedBody.Type) -> Body {
        let example = (try? JSONEncoder().encode(type.example)).flatMap { try? JSONDecoder().decode(JSONValue.self, from: $0) }
        return Body(schema: type.schema.json, example: example ?? .null)
    }
}
