import AWS
import ExampleTokens
import FoundationEssentials
import GatehouseTesting
import HTTP
import JSON
import JWT
import Policy
import Runtime
import Testing
import TransportClient
@testable import PolicyAuthorizer

/// The policy authorizer without a policy store to answer: what it decides before asking (no or forged token:
/// 401, no call) and when the service gives no answer (the call fails: never an Allow, nor a Deny to be cached).
/// Its decisions with a store are tested end to end through the local stack (`VerifiedPermissionsTokenTests`).
@Suite struct PolicyAuthorizerTests {
    static let secret = "a-test-secret-that-is-at-least-32-bytes-long"
    static let methodARN = "arn:aws:execute-api:us-east-1:123456789012:s4x3opwd6i/test/GET/edge/profile"

    /// An authorizer whose policy store is at a port nothing listens on.
    static func authorizer() throws -> PolicyAuthorizer {
        let service = AWSService(region: "us-east-1", credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret"),
                                 endpoint: "http://127.0.0.1:9/avp", signingName: "verifiedpermissions")
        let verifier = try ExampleTokens.verifier(openIDIssuer: nil, secretKey: secret, audience: "https://api.gatehouse.dev",
                                                  client: try HTTPClient())
        return PolicyAuthorizer(verifier: verifier,
                                policies: RoutePolicies(storeID: "store", namespace: "GatehouseApi", service: service, http: try HTTPClient()))
    }

    static func event(authorization: String?) throws -> [UInt8] {
        var object = try JSONDecoder().decode([String: JSONValue].self, from: Repository.fixture("authorizer-request-event-rest-api.json"))
        var headers = (object["headers"]?.objectValue ?? [:]).filter { $0.key.lowercased() != "authorization" }
        if let authorization { headers["Authorization"] = .string(authorization) }
        object["headers"] = .object(headers)
        object["methodArn"] = .string(methodARN)
        object["resource"] = "/edge/profile"
        return Array(try JSONEncoder().encode(object))
    }

    @Test func aMissingOrForgedTokenIsUnauthorizedWithoutAskingTheService() async throws {
        let runtime = LambdaRuntime(requestAuthorizer: try Self.authorizer().decide)
        for authorization in [nil, "Bearer not.a.token", "Bearer " + (try Self.token(secret: String(repeating: "x", count: 40)))] {
            await #expect(throws: LambdaError(type: "Unauthorized", message: "Unauthorized")) {
                try await runtime.invoke(Self.event(authorization: authorization))
            }
        }
    }

    /// No answer is not an allow, and not a Deny either (API Gateway would replay it from its cache for the TTL): the
    /// invocation fails with an error other than `Unauthorized`, which API Gateway answers with 500 and does not cache.
    @Test func noAnswerFromTheServiceFailsTheCall() async throws {
        let runtime = LambdaRuntime(requestAuthorizer: try Self.authorizer().decide)
        do {
            _ = try await runtime.invoke(Self.event(authorization: "Bearer " + (try Self.token(secret: Self.secret))))
            Issue.record("the authorizer answered without a decision")
        } catch let error as LambdaError {
            #expect(error.type == "AuthorizerFailed" && !error.isAnswer)
        }
    }

    @Test func oneAnswerCoversTheRouteNotThePath() {
        #expect(PolicyAuthorizer.pattern("/lists/{id}/items") == "/lists/*/items")
        #expect(PolicyAuthorizer.pattern("/edge/profile") == "/edge/profile")
        #expect(RoutePolicies.actionID(method: "GET", route: "/lists/{id}") == "get /lists/{id}")
    }

    static func token(secret: String) throws -> String {
        try JWTSigner(key: try JWK.symmetric(secret: Array(secret.utf8), algorithm: .hs256), algorithm: .hs256).sign([
            "iss": "gatehouse-auth", "aud": "https://api.gatehouse.dev", "sub": "ada@example.com", "scope": "read:profile",
            "exp": .number(currentTime() + 300)])
    }
}
