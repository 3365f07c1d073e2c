import JWT
import JSON
import TransportClient
import GatehouseTesting
import FoundationEssentials
import HTTP
import Policy
import Runtime
import ExampleTokens
import Testing
import Transport
@testable import RequestAuthorizer

@Suite struct RequestAuthorizerTests {
    static let secret = "a-test-secret-that-is-at-least-32-bytes-long"
    let authorizer = RequestAuthorizer(verifier: try! ExampleTokens.verifier(
        openIDIssuer: nil, secretKey: secret, audience: "https://api.gatehouse.dev", client: try! HTTPClient()))

    static func token(tenant: String) throws -> String {
        try JWTSigner(key: try JWK.symmetric(secret: Array(secret.utf8), algorithm: .hs256), algorithm: .hs256).sign([
            "iss": "gatehouse-auth", "aud": "https://api.gatehouse.dev", "sub": "ada@example.com",
            "https://gatehouse.dev/tenant": .string(tenant), "scope": "read:profile", "exp": .number(currentTime() + 300)])
    }

    /// A fixture event (REST or HTTP API 2.0) aimed at `/tenants/{tenantId}/wish-list` with an Authorization header.
    static func event(_ fixture: String, tenantID: String, authorization: String?) throws -> [UInt8] {
        let data = try Repository.fixture(fixture)
        var object = try JSONDecoder().decode([String: JSONValue].self, from: data)
        var headers = object["headers"]?.objectValue ?? [:]
        headers = headers.filter { $0.key.lowercased() != "authorization" }
        if let authorization { headers["Authorization"] = .string(authorization) }
        object["headers"] = .object(headers)
        object["pathParameters"] = .object(["tenantId": .string(tenantID)])
        if object["methodArn"] != nil {
            object["methodArn"] = .string("arn:aws:execute-api:us-east-1:123456789012:s4x3opwd6i/test/GET/tenants/\(tenantID)/wish-list")
        } else {
            object["routeArn"] = .string("arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/tenants/\(tenantID)/wish-list")
        }
        return Array(try JSONEncoder().encode(object))
    }

    func answer(_ event: [UInt8]) async throws -> String {
        String(decoding: try await LambdaRuntime(requestAuthorizer: authorizer.decide).invoke(event), as: UTF8.self)
    }

    @Test func restForm() async throws {
        let fixture = "authorizer-request-event-rest-api.json"
        let allowed = try await answer(Self.event(fixture, tenantID: "acme", authorization: "Bearer " + Self.token(tenant: "acme")))
        let response = try JSONDecoder().decode(IAMAuthorizerResponse.self, from: Data(allowed.utf8))
        let arn = "arn:aws:execute-api:us-east-1:123456789012:s4x3opwd6i/test/GET/tenants/acme/wish-list"
        #expect(response.policyDocument.evaluate(resource: arn) == .allow)
        #expect(response.policyDocument.evaluate(resource: "arn:aws:execute-api:us-east-1:123456789012:s4x3opwd6i/test/GET/tenants/globex/wish-list") == .implicitDeny)
        #expect(response.context?["tenant"] == .string("acme"))

        let denied = try await answer(Self.event(fixture, tenantID: "globex", authorization: "Bearer " + Self.token(tenant: "acme")))
        let deny = try JSONDecoder().decode(IAMAuthorizerResponse.self, from: Data(denied.utf8))
        #expect(deny.policyDocument.evaluate(resource: "arn:aws:execute-api:us-east-1:123456789012:s4x3opwd6i/test/GET/tenants/globex/wish-list") == .explicitDeny)

        await #expect(throws: LambdaError(type: "Unauthorized", message: "Unauthorized")) {
            try await answer(Self.event(fixture, tenantID: "acme", authorization: nil))
        }
        await #expect(throws: LambdaError(type: "Unauthorized", message: "Unauthorized")) {
            try await answer(Self.event(fixture, tenantID: "acme", authorization: "Bearer forged.token.here"))
        }
    }

    @Test func httpAPISimpleForm() async throws {
        let fixture = "authorizer-request-event-http-api-payload-v2.json"
        let allowed = try JSONDecoder().decode(SimpleAuthorizerResponse.self, from: Data(try await answer(
            Self.event(fixture, tenantID: "acme", authorization: "Bearer " + Self.token(tenant: "acme"))).utf8))
        #expect(allowed.isAuthorized && allowed.context?["sub"] == .string("ada@example.com"))
        #expect(try await answer(Self.event(fixture, tenantID: "globex", authorization: "Bearer " + Self.token(tenant: "acme")))
                == #"{"isAuthorized":false}"#)
    }

    @Test func otherEventsAreErrors() async {
        await #expect(throws: LambdaError.self) { try await answer(Array(#"{"Records":[]}"#.utf8)) }
    }
}
