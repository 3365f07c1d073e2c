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
@testable import DPoPAuthorizer

/// The DPoP authorizer on AWS's own REST authorizer event (the fixture), with a token bound to a proof key: a fresh
/// proof for the URL the client called passes and hands on `sub` and `jkt`; every defect is refused the way its
/// gateway responses tell apart (`Unauthorized` for the token, an explicit Deny for the proof).
@Suite struct DPoPAuthorizerTests {
    static let secret = "a-test-secret-that-is-at-least-32-bytes-long"
    static let now = 1_900_000_000.0
    static let url = "https://abc.execute-api.us-east-1.amazonaws.com/dev/dpop/whoami"
    static let arn = "arn:aws:execute-api:us-east-1:123456789012:s4x3opwd6i/dev/GET/dpop/whoami"
    let key = try! JWTSigner(key: try! JWK.generate(for: .es256), algorithm: .es256)
    let authorizer = DPoPAuthorizer(verifier: DPoPTokenVerifier(tokens: try! ExampleTokens.verifier(
        openIDIssuer: nil, secretKey: secret, audience: "https://api.gatehouse.dev", client: try! HTTPClient())),
        clock: { DPoPAuthorizerTests.now })

    /// A token for ada, bound to `key`'s thumbprint (none: unbound).
    static func token(boundTo key: JWTSigner?) throws -> String {
        var claims: [String: JSONValue] = ["iss": "gatehouse-auth", "aud": "https://api.gatehouse.dev",
                                           "sub": "ada@example.com", "exp": .number(now + 300)]
        if let key {
            let jwk = try key.key.publicKey().members(includingPrivate: false)
            claims["cnf"] = .object(["jkt": .string(try DPoP.thumbprint(ofJWK: jwk))])
        }
        return try JWTSigner(key: try JWK.symmetric(secret: Array(secret.utf8), algorithm: .hs256), algorithm: .hs256)
            .sign(claims)
    }

    func proof(_ token: String, key: JWTSigner? = nil, method: String = "GET", url: String = url,
               at time: Double = now, id: String = UUID().uuidString) throws -> String {
        try DPoP.proof(signer: key ?? self.key, method: method, url: url, accessToken: token, now: time, id: id)
    }

    /// AWS's REST REQUEST authorizer event, called at `/dev/dpop/whoami` on the API's own host; `more` proofs sent in
    /// further `DPoP` headers (REST lists every value in `multiValueHeaders`).
    static func event(authorization: String?, proof: String?, more: [String] = []) throws -> RequestAuthorizerEvent {
        var object = try JSONDecoder().decode([String: JSONValue].self, from: Repository.fixture("authorizer-request-event-rest-api.json"))
        var headers = object["headers"]?.objectValue ?? [:]
        headers["Host"] = "abc.execute-api.us-east-1.amazonaws.com"
        if let authorization { headers["Authorization"] = .string(authorization) }
        if let proof { headers["DPoP"] = .string(proof) }
        object["headers"] = .object(headers)
        if let proof, !more.isEmpty { object["multiValueHeaders"] = .object(["DPoP": .array(([proof] + more).map { .string($0) })]) }
        object["methodArn"] = .string(arn)
        var context = object["requestContext"]?.objectValue ?? [:]
        context["path"] = "/dev/dpop/whoami"
        object["requestContext"] = .object(context)
        return try JSONDecoder().decode(RequestAuthorizerEvent.self, from: JSONEncoder().encode(object))
    }

    func decide(_ authorization: String?, _ proof: String?) async throws -> AuthorizerDecision {
        await authorizer.decide(try Self.event(authorization: authorization, proof: proof))
    }

    func isDeny(_ decision: AuthorizerDecision) -> Bool {
        if case .deny(_, let policy) = decision { policy.evaluate(resource: Self.arn) == .explicitDeny } else { false }
    }

    @Test func aFreshProofFromTheBoundKeyPasses() async throws {
        let token = try Self.token(boundTo: key)
        guard case .allow(let principal, let policy, let context) = try await decide("DPoP " + token, proof(token)) else {
            Issue.record("not allowed")
            return
        }
        #expect(principal == "ada@example.com")
        #expect(policy.evaluate(resource: Self.arn) == .allow)
        let jwk = try key.key.publicKey().members(includingPrivate: false)
        #expect(context["jkt"] == .string(try DPoP.thumbprint(ofJWK: jwk)))
        #expect(context["sub"] == .string("ada@example.com"))
    }

    @Test func tokenDefectsFailUnauthorized() async throws {
        let token = try Self.token(boundTo: key)
        #expect(try await decide("Bearer " + token, proof(token)) == .unauthorized)  // a bound token used as bearer
        #expect(try await decide(nil, proof(token)) == .unauthorized)
        let unbound = try Self.token(boundTo: nil)
        #expect(try await decide("DPoP " + unbound, proof(unbound)) == .unauthorized)
        #expect(try await decide("DPoP " + token + "x", proof(token)) == .unauthorized)
        let other = try JWTSigner(key: try JWK.generate(for: .es256), algorithm: .es256)
        #expect(try await decide("DPoP " + token, proof(token, key: other)) == .unauthorized)  // another key
    }

    @Test func proofDefectsAreDenied() async throws {
        let token = try Self.token(boundTo: key)
        #expect(isDeny(try await decide("DPoP " + token, nil)))
        #expect(isDeny(try await decide("DPoP " + token, proof(token, method: "POST"))))
        #expect(isDeny(try await decide("DPoP " + token, proof(token, url: "https://abc.execute-api.us-east-1.amazonaws.com/dev/profile"))))
        // The stage is part of the URL the client called.
        #expect(isDeny(try await decide("DPoP " + token, proof(token, url: "https://abc.execute-api.us-east-1.amazonaws.com/dpop/whoami"))))
        #expect(isDeny(try await decide("DPoP " + token, proof(token, at: Self.now - 120))))
        #expect(isDeny(try await decide("DPoP " + token, proof(try Self.token(boundTo: nil)))))  // ath of another token
        let once = try proof(token)
        guard case .allow = try await decide("DPoP " + token, once) else {
            Issue.record("the first use was refused")
            return
        }
        #expect(isDeny(try await decide("DPoP " + token, once)))  // replayed
    }

    /// One proof a request: a second `DPoP` header, or an HTTP API's comma-joined pair, is a proof defect.
    @Test func twoProofsAreDenied() async throws {
        let token = try Self.token(boundTo: key)
        let (first, second) = (try proof(token), try proof(token))
        #expect(isDeny(await authorizer.decide(try Self.event(authorization: "DPoP " + token, proof: first, more: [second]))))
        #expect(isDeny(try await decide("DPoP " + token, first + "," + second)))
        guard case .allow = try await decide("DPoP " + token, second) else {
            Issue.record("a single fresh proof was refused")
            return
        }
    }

    @Test func theRuntimeAnswersAsAPIGatewayExpects() async throws {
        let token = try Self.token(boundTo: key)
        let runtime = LambdaRuntime(requestAuthorizer: authorizer.decide)
        let allowed = try await runtime.invoke(Array(JSONEncoder().encode(Self.event(authorization: "DPoP " + token,
                                                                                     proof: proof(token)))))
        let response = try JSONDecoder().decode(IAMAuthorizerResponse.self, from: Data(allowed))
        #expect(response.policyDocument.evaluate(resource: Self.arn) == .allow)
        await #expect(throws: LambdaError(type: "Unauthorized", message: "Unauthorized")) {
            try await runtime.invoke(Array(JSONEncoder().encode(Self.event(authorization: "Bearer " + token, proof: nil))))
        }
    }
}
