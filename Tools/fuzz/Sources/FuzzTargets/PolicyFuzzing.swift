import FoundationEssentials
import Policy

/// An IAM authorizer response or a bare policy document, evaluated against execute-api ARNs: its own resources and
/// a few fixed ones. A document survives encoding; an unconditional statement on a literal resource decides it.
enum PolicyFuzzing {
    static let requests = [
        "arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/GET/wish-list",
        "arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/POST/tenants/t1/wish-list",
        "arn:aws:execute-api:eu-west-1:111122223333:api/$default/GET/",
    ]

    static func run(_ input: [UInt8]) throws(InvariantViolation) {
        let data = Data(input)
        let decoder = JSONDecoder()
        guard let document = (try? decoder.decode(IAMAuthorizerResponse.self, from: data))?.policyDocument
                ?? (try? decoder.decode(PolicyDocument.self, from: data)) else { return }
        let encoded = try? JSONEncoder().encode(document)
        try expect(encoded.flatMap { try? decoder.decode(PolicyDocument.self, from: $0) } == document,
                   "a policy document did not survive encoding")
        for statement in document.statements {
            for resource in statement.resources {
                try expectDecides(document, statement, resource)
                if let arn = ExecuteAPIARN(resource) {
                    try expect(ExecuteAPIARN(arn.description) == arn, "ARN \(resource) did not survive printing")
                }
            }
        }
        for resource in requests {
            _ = document.evaluate(resource: resource, conditionValues: ["aws:SourceIp": "203.0.113.7"])
        }
    }

    /// An unconditional statement that invokes a literal resource decides that resource (a Deny anywhere wins).
    private static func expectDecides(_ document: PolicyDocument, _ statement: PolicyDocument.Statement,
                                      _ resource: String) throws(InvariantViolation) {
        guard statement.conditions == nil, !resource.contains(where: { $0 == "*" || $0 == "?" }),
              statement.actions.contains(where: { $0.lowercased() == "execute-api:invoke" }) else { return }
        let decision = document.evaluate(resource: resource)
        switch statement.effect {
        case .deny: try expect(decision == .explicitDeny, "an unconditional Deny of \(resource) gave \(decision)")
        case .allow: try expect(decision != .implicitDeny, "an unconditional Allow of \(resource) gave \(decision)")
        }
    }
}
