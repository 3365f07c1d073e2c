import GatehouseTesting
import JSON
import JWT
import Synchronization
import Transport

/// An OpenID issuer on a local port for `lambda.cpu.dpop-authorizer` (its discovery document and key set, as the
/// dev IdP serves them) and the authorizer event the bench repeats: AWS's REST REQUEST event fixture carrying a token
/// the issuer signed, bound to a client key, and that key's proof for `GET /dev/dpop/whoami`. Repeated, the proof is
/// a replay after the first call: the authorizer still verifies the token and the proof's signature before it finds
/// the `jti` seen — the cost of a DPoP check, which is the figure.
final class DPoPBenchIssuer {
    private let server: WireServer
    let issuer: String
    let event: [UInt8]

    init(audience: String) throws {
        let key = try JWK.generate(for: .rs256, keyID: "bench")
        let keys = JSONValue.object(["keys": .array([.object(try key.publicKey().members(includingPrivate: false))])]).jsonBytes
        let documents = Mutex<[String: [UInt8]]>([:])
        server = try WireServer(answer: { _ in WireResponse(status: 400) }, handler: { request, _ in
            guard let body = documents.withLock({ $0[request.target] }) else { return .respond(WireResponse(status: 404)) }
            var headers = WireHeaders()
            headers.add("Content-Type", "application/json")
            return .respond(WireResponse(status: 200, headers: headers, body: body))
        })
        issuer = "http://127.0.0.1:\(server.port)/"
        let discovery = JSONValue.object(["issuer": .string(issuer), "jwks_uri": .string(issuer + "jwks.json")]).jsonBytes
        documents.withLock { $0 = ["/.well-known/openid-configuration": discovery, "/jwks.json": keys] }

        let client = try JWTSigner(key: try JWK.generate(for: .es256), algorithm: .es256)
        let thumbprint = try DPoP.thumbprint(ofJWK: try client.key.publicKey().members(includingPrivate: false))
        let now = currentTime()
        let token = try JWTSigner(key: key, algorithm: .rs256).sign([
            "iss": .string(issuer), "aud": .string(audience), "sub": "auth0|ada@example.com", "scope": "read:profile",
            "iat": .number(now.rounded(.down)), "exp": .number(now + 3600), "cnf": .object(["jkt": .string(thumbprint)]),
        ])
        let host = "abc.execute-api.us-east-1.amazonaws.com"
        let proof = try DPoP.proof(signer: client, method: "GET", url: "https://\(host)/dev/dpop/whoami", accessToken: token,
                                   now: now, id: "bench-proof")
        var object = try JSONValue.object(parsing: Array(try Repository.fixture("authorizer-request-event-rest-api.json")))
        var headers = object["headers"]?.objectValue ?? [:]
        headers["Host"] = .string(host)
        headers["Authorization"] = .string("DPoP " + token)
        headers["DPoP"] = .string(proof)
        object["headers"] = .object(headers)
        object["multiValueHeaders"] = nil
        object["methodArn"] = "arn:aws:execute-api:us-east-1:123456789012:abc/dev/GET/dpop/whoami"
        var context = object["requestContext"]?.objectValue ?? [:]
        context["path"] = "/dev/dpop/whoami"
        object["requestContext"] = .object(context)
        event = JSONValue.object(object).jsonBytes
    }

    func stop() { server.shutdown() }
}
