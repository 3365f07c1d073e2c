@_spi(Gatehouse) import JSON

/// A value an authorizer may put in its `context`: REST APIs accept only strings, numbers and booleans.
public enum AuthorizerContextValue: Codable, Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }

    /// The value as API Gateway hands it to the integration (REST passes every context value as a string).
    public var description: String {
        switch self {
        case .string(let value): value
        case .number(let value): JSONText.number(value)
        case .bool(let value): value ? "true" : "false"
        }
    }
}

/// The `context` an authorizer returns to API Gateway (and API Gateway hands to the integration).
public typealias AuthorizerContext = [String: AuthorizerContextValue]
