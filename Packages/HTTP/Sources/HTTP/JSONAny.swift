import Policy

/// Any JSON value, for the parts of API Gateway events whose shape varies (authorizer blocks, claims).
public enum JSONAny: Codable, Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONAny])
    case object([String: JSONAny])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONAny].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONAny].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The value as text, as API Gateway flattens context values (numbers without a trailing `.0`); nil for
    /// arrays, objects and null.
    public var text: String? {
        switch self {
        case .string(let value): AuthorizerContextValue.string(value).description
        case .number(let value): AuthorizerContextValue.number(value).description
        case .bool(let value): AuthorizerContextValue.bool(value).description
        default: nil
        }
    }

    /// The members, when this is an object.
    public var object: [String: JSONAny]? {
        if case .object(let value) = self { return value }
        return nil
    }
}

extension JSONAny: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
