public import JSON
import FoundationEssentials

/// A JSON Schema (the part OpenAPI 3.1 documents use) for a request or response body.
public struct JSONSchema: Sendable, Equatable {
    /// The schema as JSON.
    public let json: JSONValue

    /// Any string; `format` (`email`, `date-time`…), a `pattern` it must contain a match of, and length bounds (in
    /// Unicode code points, as JSON Schema counts) when given.
    public static func string(format: String? = nil, pattern: String? = nil, minLength: Int? = nil,
                              maxLength: Int? = nil) -> JSONSchema {
        var members: [String: JSONValue] = ["type": "string"]
        if let format { members["format"] = .string(format) }
        if let pattern { members["pattern"] = .string(pattern) }
        if let minLength { members["minLength"] = .number(Double(minLength)) }
        if let maxLength { members["maxLength"] = .number(Double(maxLength)) }
        return JSONSchema(json: .object(members))
    }

    /// Any string.
    public static let string = string()

    /// One of `values`.
    public static func string(oneOf values: [String]) -> JSONSchema {
        JSONSchema(json: .object(["type": "string", "enum": .array(values.map { .string($0) })]))
    }
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

    /// `schema`, or `null` (an optional member a client may send as `null`).
    public static func nullable(_ schema: JSONSchema) -> JSONSchema {
        anyOf([schema, JSONSchema(json: ["type": "null"])])
    }

    /// A value matching at least one of `schemas`.
    public static func anyOf(_ schemas: [JSONSchema]) -> JSONSchema {
        JSONSchema(json: ["anyOf": .array(schemas.map(\.json))])
    }
}

/// A body type a route reads or answers with, documented for OpenAPI (`gatehouse openapi`) and for the
/// authorization matrix, which sends the example: its schema, and an example that passes the handler's checks.
public protocol DocumentedBody: Encodable, SendableMetatype {
    /// Its JSON Schema.
    static var schema: JSONSchema { get }
    /// A valid example.
    static var example: Self { get }
}

/// What a route documents about its bodies and its own refusals; an empty one documents nothing. Bodies are
/// rendered (example encoded) only when read, by `--describe`, never while a function starts.
public struct BodyDocumentation: Sendable, Equatable {
    private let requestSource: Source?
    private let responseSources: [Int: Source]
    /// Refusals the handler itself gives beyond 400, 401 and 403 (`409`, `429`…), each with when.
    public let errors: [Int: String]

    /// The request body's schema and example.
    public var request: Body? { requestSource?.body }
    /// Each success status's body.
    public var responses: [Int: Body] { responseSources.mapValues(\.body) }

    /// A body's schema and example.
    public struct Body: Sendable, Equatable {
        public var schema: JSONValue
        public var example: JSONValue
    }

    /// Documentation of `request`, of the `responses` by status and of the handler's other `errors`.
    public init(request: (any DocumentedBody.Type)? = nil, responses: [Int: any DocumentedBody.Type] = [:],
                errors: [Int: String] = [:]) {
        requestSource = request.map(Source.type)
        responseSources = responses.mapValues(Source.type)
        self.errors = errors
    }

    init(request: Body?, responses: [Int: Body], errors: [Int: String]) {
        requestSource = request.map(Source.rendered)
        responseSources = responses.mapValues(Source.rendered)
        self.errors = errors
    }

    public static func == (left: BodyDocumentation, right: BodyDocumentation) -> Bool {
        left.request == right.request && left.responses == right.responses && left.errors == right.errors
    }

    /// A documented body type, or one already rendered (read back from `--describe`).
    private enum Source: Sendable {
        case type(any DocumentedBody.Type)
        case rendered(Body)

        var body: Body {
            switch self {
            case .rendered(let body):
                return body
            case .type(let type):
                let example = (try? JSONEncoder().encode(type.example))
                    .flatMap { try? JSONDecoder().decode(JSONValue.self, from: $0) }
                return Body(schema: type.schema.json, example: example ?? .null)
            }
        }
    }
}

/// The documented "answer without a body" (`204`): `responses: [204: NoContent.self]`.
public struct NoContent: DocumentedBody, Sendable {
    public static let schema = JSONSchema(json: .null)
    public static let example = NoContent()
}
