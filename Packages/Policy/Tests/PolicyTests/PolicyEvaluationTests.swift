import GatehouseTesting
import Testing
@testable import Policy

/// The evaluator against AWS's documented matching rules (API Gateway developer guide, "Control access to an API
/// with IAM permissions" and the Lambda authorizer examples).
@Suite struct PolicyEvaluationTests {
    let arn = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/pets/42"

    func policy(_ statements: PolicyDocument.Statement...) -> PolicyDocument { PolicyDocument(statements: statements) }

    @Test func wildcardsAsAPIGatewayDocumentsThem() {
        let allowed = [
            "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/pets/42",
            "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*/GET/pets/*",
            "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/*",  // * spans the slashes
            "arn:aws:execute-api:us-east-1:*:a1b2c3/*",
            "arn:aws:execute-api:*:*:*",
            "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/pets/4?",
            "*",
        ]
        for resource in allowed {
            #expect(policy(.init(effect: .allow, resources: [resource])).evaluate(resource: arn) == .allow, "\(resource)")
        }
        let notAllowed = [
            "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/POST/pets/42",
            "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/test/*",
            "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/pets",
            "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/pets/4",
            "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/pets/?",
            "arn:aws:execute-api:us-west-2:123456789012:a1b2c3/*",
        ]
        for resource in notAllowed {
            #expect(policy(.init(effect: .allow, resources: [resource])).evaluate(resource: arn) == .implicitDeny, "\(resource)")
        }
    }

    @Test func explicitDenyWins() {
        let document = policy(
            .init(effect: .allow, resources: ["arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*"]),
            .init(effect: .deny, resources: ["arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/pets/*"]))
        #expect(document.evaluate(resource: arn) == .explicitDeny)
        #expect(document.evaluate(resource: "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/owners") == .allow)
    }

    @Test func actionsMustCoverInvoke() {
        let resource = ["arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*"]
        #expect(policy(.init(effect: .allow, actions: ["execute-api:*"], resources: resource)).evaluate(resource: arn) == .allow)
        #expect(policy(.init(effect: .allow, actions: ["*"], resources: resource)).evaluate(resource: arn) == .allow)
        #expect(policy(.init(effect: .allow, actions: ["execute-api:ManageConnections"], resources: resource))
                    .evaluate(resource: arn) == .implicitDeny)
        #expect(policy().evaluate(resource: arn) == .implicitDeny)
    }

    @Test func conditionsFailClosed() {
        let resource = ["arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*"]
        let office = policy(.init(effect: .allow, resources: resource,
                                  conditions: ["IpAddress": ["aws:SourceIp": ["203.0.113.0/24"]]]))
        #expect(office.evaluate(resource: arn, conditionValues: ["aws:SourceIp": "203.0.113.7"]) == .allow)
        #expect(office.evaluate(resource: arn, conditionValues: ["aws:SourceIp": "198.51.100.1"]) == .implicitDeny)
        #expect(office.evaluate(resource: arn) == .implicitDeny)  // unknown key: an Allow does not apply

        let blocked = policy(.init(effect: .allow, resources: resource),
                             .init(effect: .deny, resources: resource, conditions: ["StringEquals": ["aws:SourceIp": ["1.2.3.4"]]]))
        #expect(blocked.evaluate(resource: arn, conditionValues: ["aws:SourceIp": "1.2.3.4"]) == .explicitDeny)
        #expect(blocked.evaluate(resource: arn, conditionValues: ["aws:SourceIp": "5.6.7.8"]) == .allow)
        #expect(blocked.evaluate(resource: arn) == .explicitDeny)  // unknown key: a Deny applies
        let exotic = policy(.init(effect: .allow, resources: resource, conditions: ["DateGreaterThan": ["aws:CurrentTime": ["2020"]]]))
        #expect(exotic.evaluate(resource: arn, conditionValues: ["aws:CurrentTime": "2030"]) == .implicitDeny)
    }

    @Test func fixturePolicyWithCondition() throws {
        let response = try Repository.fixture(IAMAuthorizerResponse.self, "authorizer-response-iam-policy-deny-with-condition.json")
        let statement = try #require(response.policyDocument.statements.first)
        let resource = try #require(statement.resources.first)
        let ip = try #require(statement.conditions?["StringEquals"]?["aws:SourceIp"]?.first)
        #expect(response.policyDocument.evaluate(resource: resource, conditionValues: ["aws:SourceIp": ip]) == .explicitDeny)
    }

    @Test func wildcardMatcherEdgeCases() {
        #expect(wildcardMatch("", ""))
        #expect(!wildcardMatch("", "a"))
        #expect(wildcardMatch("**", ""))
        #expect(wildcardMatch("a*b*c", "aXXbYYc"))
        #expect(!wildcardMatch("a*b*c", "aXXbYY"))
        #expect(wildcardMatch("?", "x") && !wildcardMatch("?", "") && !wildcardMatch("?", "xy"))
    }
}
