public import JSON
import Policy

extension JSONValue {
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
}
