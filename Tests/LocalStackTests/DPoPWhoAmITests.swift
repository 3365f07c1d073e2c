import GatehouseTesting
import JSON
import Testing

/// `GET /dpop/whoami` (SPEC §4) through the stack, driven by joserfc (an independent JOSE implementation): a token
/// the dev IdP bound to the client's key passes the DPoP authorizer only with a fresh proof for this method and URL
/// (stage prefix included when the client sent it) from that key; every other use is `401` with the
/// `WWW-Authenticate: DPoP` challenge the API's gateway responses add, and the bound token is refused as a bearer
/// token by the other authorizers too.
@Suite struct DPoPWhoAmITests {
    static let python = PythonPeer.find(module: "joserfc")

    static let script = #"""
        import json, sys, time, uuid, urllib.request, urllib.error
        from joserfc import jwt, jwk
        base = sys.argv[1]
        endpoint = base + "/idp/oauth/token"
        key = jwk.ECKey.generate_key("P-256")
        def proof(method, url, token=None, key=key, iat=None, jti=None):
            import hashlib, base64
            claims = {"jti": jti or str(uuid.uuid4()), "htm": method, "htu": url, "iat": int(iat or time.time())}
            if token:
                claims["ath"] = base64.urlsafe_b64encode(hashlib.sha256(token.encode()).digest()).rstrip(b"=").decode()
            return jwt.encode({"typ": "dpop+jwt", "alg": "ES256", "jwk": key.as_dict(private=False)}, claims, key)
        def call(url, headers, method="GET"):
            request = urllib.request.Request(url, headers=headers, method=method)
            try:
                with urllib.request.urlopen(request) as answer:
                    return [answer.status, json.loads(answer.read()), answer.headers.get("WWW-Authenticate")]
            except urllib.error.HTTPError as error:
                return [error.code, json.loads(error.read() or b"null"), error.headers.get("WWW-Authenticate")]
        body = json.dumps({"grant_type": "password", "username": "ada@example.com", "password": "correct horse battery staple",
                           "client_id": "dev-service", "client_secret": "dev-service-secret", "scope": "read:profile",
                           "audience": "https://api.gatehouse.dev"}).encode()
        request = urllib.request.Request(endpoint, data=body, headers={"content-type": "application/json",
                                                                       "DPoP": proof("POST", endpoint)})
        token = json.loads(urllib.request.urlopen(request).read())["access_token"]
        whoami = base + "/dpop/whoami"
        staged = base + "/dev/dpop/whoami"
        fresh = proof("GET", whoami, token)
        other = jwk.ECKey.generate_key("P-256")
        def two_proofs():
            import http.client
            connection = http.client.HTTPConnection(base.split("://")[1])
            connection.putrequest("GET", "/dpop/whoami")
            connection.putheader("Authorization", "DPoP " + token)
            for _ in range(2): connection.putheader("DPoP", proof("GET", whoami, token))
            connection.endheaders()
            answer = connection.getresponse()
            return [answer.status, json.loads(answer.read()), answer.getheader("WWW-Authenticate")]
        print(json.dumps({
            "fresh": call(whoami, {"Authorization": "DPoP " + token, "DPoP": fresh}),
            "thumbprint": key.thumbprint(),
            "staged": call(staged, {"Authorization": "DPoP " + token, "DPoP": proof("GET", staged, token)}),
            "replayed": call(whoami, {"Authorization": "DPoP " + token, "DPoP": fresh}),
            "bearer": call(whoami, {"Authorization": "Bearer " + token}),
            "bearer_with_proof": call(whoami, {"Authorization": "Bearer " + token, "DPoP": proof("GET", whoami, token)}),
            "no_proof": call(whoami, {"Authorization": "DPoP " + token}),
            "other_url": call(whoami, {"Authorization": "DPoP " + token, "DPoP": proof("GET", staged, token)}),
            "other_method": call(whoami, {"Authorization": "DPoP " + token, "DPoP": proof("POST", whoami, token)}),
            "stale": call(whoami, {"Authorization": "DPoP " + token, "DPoP": proof("GET", whoami, token, iat=time.time() - 600)}),
            "other_key": call(whoami, {"Authorization": "DPoP " + token, "DPoP": proof("GET", whoami, token, key=other)}),
            "profile_as_bearer": call(base + "/profile", {"Authorization": "Bearer " + token}),
            "two_proofs": two_proofs(),
        }))
        """#

    @Test(.enabled(if: python != nil, "skipped: joserfc (PyPI) is not importable; `make test` installs test peers"))
    func onlyAFreshProofFromTheBoundKeyPasses() throws {
        let output = try PythonPeer.output(Self.python!, script: Self.script, arguments: [SeedFlowTests.stack.base])
        let result = try JSONValue.object(parsing: Array(output.utf8))
        func status(_ name: String) -> JSONValue? { result[name]?.arrayValue?.first }
        func challenge(_ name: String) -> JSONValue? { result[name]?.arrayValue?.last }
        let answer = result["fresh"]?.arrayValue
        #expect(status("fresh") == .number(200))
        #expect(answer?[1].objectValue?["jkt"] == result["thumbprint"])
        #expect(answer?[1].objectValue?["sub"] == .string("auth0|ada@example.com"))
        #expect(status("staged") == .number(200))
        for refused in ["bearer", "bearer_with_proof", "other_key"] {
            #expect(status(refused) == .number(401), "\(refused)")
            #expect(challenge(refused) == .string(#"DPoP error="invalid_token""#), "\(refused)")
        }
        for refused in ["replayed", "no_proof", "other_url", "other_method", "stale", "two_proofs"] {
            #expect(status(refused) == .number(401), "\(refused)")
            #expect(challenge(refused) == .string(#"DPoP error="invalid_dpop_proof""#), "\(refused)")
        }
        #expect(status("profile_as_bearer") == .number(401))
    }
}
