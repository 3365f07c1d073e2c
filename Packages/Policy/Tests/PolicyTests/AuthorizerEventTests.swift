import GatehouseTesting
import Testing
@testable import Policy

@Suite struct AuthorizerEventTests {
    @Test func tokenEvent() throws {
        let event = try Repository.fixture(TokenAuthorizerEvent.self, "authorizer-token-event.json")
        #expect(event.type == "TOKEN")
        #expect(event.authorizationToken == "allow")
        let arn = try #require(ExecuteAPIARN(event.methodArn))
        #expect(arn.apiID == "ymy8tbxw7b" && arn.stage == "*" && arn.verb == "GET" && arn.path == "")
        #expect(try roundTrip(event) == event)
    }

    @Test func restRequestEvent() throws {
        let event = try Repository.fixture(RequestAuthorizerEvent.self, "authorizer-request-event-rest-api.json")
        #expect(event.version == nil && event.type == "REQUEST")
        #expect(event.methodArn != nil && event.httpMethod == "GET")
        #expect(event.header("headerauth1") == "headerValue1")
        #expect(event.header("HEADERAUTH1") == "headerValue1")
        #expect(event.sourceIP != nil)
        #expect(try roundTrip(event) == event)
    }

    @Test func httpAPIPayload1() throws {
        let event = try Repository.fixture(RequestAuthorizerEvent.self, "authorizer-request-event-http-api-payload-v1.json")
        #expect(event.version == "1.0")
        #expect(event.identitySource == .joined("user1,123"))
        #expect(event.resourceARN == event.methodArn)
    }

    @Test func httpAPIPayload2() throws {
        let event = try Repository.fixture(RequestAuthorizerEvent.self, "authorizer-request-event-http-api-payload-v2.json")
        #expect(event.version == "2.0")
        #expect(event.methodArn == nil && event.routeArn != nil)
        #expect(event.resourceARN == event.routeArn)
        guard case .list(let sources) = event.identitySource else { Issue.record("expected a list"); return }
        #expect(!sources.isEmpty)
        #expect(event.sourceIP != nil)
        #expect(try roundTrip(event) == event)

        let withHeader = try Repository.fixture(RequestAuthorizerEvent.self,
                                             "authorizer-request-event-http-api-payload-v2-authorization-header.json")
        #expect(withHeader.header("authorization")?.isEmpty == false)
        #expect(withHeader.routeKey == "GET /merchants")

        let noSource = try Repository.fixture(RequestAuthorizerEvent.self,
                                           "authorizer-request-event-http-api-payload-v2-no-identity-source.json")
        #expect(noSource.identitySource == nil)
    }

    @Test func templateResponseIsRefused() throws {
        // "Effect": "Allow|Deny" is a placeholder, not a policy.
        #expect(throws: (any Error).self) {
            try Repository.fixture(IAMAuthorizerResponse.self, "authorizer-response-iam-policy-template.json")
        }
    }

    @Test func responsesInIAMForm() throws {
        let withCondition = try Repository.fixture(IAMAuthorizerResponse.self,
                                                "authorizer-response-iam-policy-deny-with-condition.json")
        let statement = try #require(withCondition.policyDocument.statements.first)
        #expect(statement.effect == .deny)
        #expect(statement.conditions?["StringEquals"]?["aws:SourceIp"]?.isEmpty == false)
        #expect(try roundTrip(withCondition) == withCondition)

        let single = try Repository.fixture(IAMAuthorizerResponse.self, "authorizer-response-iam-policy-single-value-action.json")
        #expect(single.policyDocument.statements.first?.actions == ["execute-api:Invoke"])
    }

    @Test func decisionsBecomeResponses() throws {
        let arn = try #require(ExecuteAPIARN("arn:aws:execute-api:us-east-1:123456789012:api1/prod/GET/profile"))
        var builder = PolicyBuilder(methodARN: arn)
        builder.allowAllMethods()
        let allow = AuthorizerDecision.allow(principalID: "ada", policy: try builder.build(),
                                             context: ["sub": .string("ada"), "admin": .bool(false), "level": .number(3)])
        let encoded = String(decoding: try JSONEncoderForTests.encode(allow.iamResponse), as: UTF8.self)
        #expect(encoded.contains(#""principalId":"ada""#))
        #expect(encoded.contains(#""Resource":["arn:aws:execute-api:us-east-1:123456789012:api1\/prod\/*\/*"]"#))
        #expect(encoded.contains(#""admin":false"#) && encoded.contains(#""level":3"#))
        #expect(AuthorizerDecision.unauthorized.iamResponse == nil)
        #expect(allow.simpleResponse?.isAuthorized == true)
        #expect(AuthorizerDecision.deny(principalID: "bob", policy: try builder.build()).simpleResponse?.isAuthorized == false)
        #expect(AuthorizerContextValue.number(3).description == "3")
    }
}

import FoundationEssentials

enum JSONEncoderForTests {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }
}
