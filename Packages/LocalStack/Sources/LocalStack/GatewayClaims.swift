import JSON
import JWT

extension JWTClaims {
    /// The claims as API Gateway hands them to a function: strings as they are, numbers and booleans as their JSON
    /// text, each list as `list` renders it (each authorizer type has its own form); objects and nulls left out.
    func gatewayText(list: ([JSONValue]) -> String) -> [String: JSONValue] {
        members.compactMapValues { value -> JSONValue? in
            switch value {
            case .string: value
            case .number, .bool: .string(value.jsonText)
            case .array(let values): .string(list(values))
            default: nil
            }
        }
    }
}
