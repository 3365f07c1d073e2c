/// One fuzzed entry point of Gatehouse. `run` returns for every input the code handled, accepted or refused with an
/// error, and throws when one of the target's invariants broke; anything else that goes wrong is a crash.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Compact JWS parsing and verification, with the claims checks behind a valid signature.
    case jws
    /// JWKS documents.
    case jwks
    /// API Gateway proxy events (payload 1.0 and 2.0) through an application's routes and scope checks.
    case apiGatewayEvent = "apigateway-event"
    /// HTTP/1.1 requests as the local server reads them, through the same application.
    case httpRequest = "http-request"
    /// IAM policy documents and authorizer responses, evaluated against execute-api ARNs.
    case policy
    /// Cedar policy text, parsed and authorized.
    case cedarPolicy = "cedar-policy"
    /// Cedar policies, entities and a request, authorized.
    case cedarAuthorization = "cedar-authorization"

    /// Runs one input.
    public func run(_ input: [UInt8]) throws(InvariantViolation) {
        switch self {
        case .jws: try JWSFuzzing.run(input)
        case .jwks: try JWKSFuzzing.run(input)
        case .apiGatewayEvent: try APIGatewayEventFuzzing.run(input)
        case .httpRequest: try HTTPRequestFuzzing.run(input)
        case .policy: try PolicyFuzzing.run(input)
        case .cedarPolicy: try CedarFuzzing.policy(input)
        case .cedarAuthorization: try CedarFuzzing.authorization(input)
        }
    }

    /// libFuzzer's entry: runs one input and traps on a broken invariant, so libFuzzer keeps the input.
    public func fuzz(_ input: UnsafeRawBufferPointer) -> CInt {
        do {
            try run(Array(input))
        } catch {
            fatalError("fuzz-\(rawValue): \(error)")
        }
        return 0
    }
}

/// A property the code under fuzzing must keep for every input, found broken.
public struct InvariantViolation: Error, CustomStringConvertible {
    /// What broke.
    public let description: String
}

/// Throws `InvariantViolation(message)` unless `condition` holds.
func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws(InvariantViolation) {
    if !condition { throw InvariantViolation(description: message()) }
}
