import GatehouseTesting
import JSON
import Testing

/// DPoP at the dev identity provider's token endpoint, driven by joserfc (an independent JOSE implementation): the
/// provider binds the token to the proof's key and hands out its nonce, which a proof carrying one must match (`cnf.jkt` = joserfc's RFC 7638
/// thumbprint, `token_type: DPoP`); a proof works once and only for the token endpoint.
@Suite struct DPoPTokenTests {
    static let python = PythonPeer.find(module: "joserfc")

    static let script = #"""
        import json, sys, time, uuid, urllib.request, urllib.error
        from joserfc import jwt, jwk
        base = sys.argv[1]
        endpoint = base + "/idp/oauth/token"
        key = jwk.ECKey.generate_key("P-256")
        def proof(url=endpoint, nonce=None, jti=None):
            claims = {"jti": jti or str(uuid.uuid4()), "htm": "POST", "htu": url, "iat": int(time.time())}
            if nonce: claims["nonce"] = nonce
            return jwt.encode({"typ": "dpop+jwt", "alg": "ES256", "jwk": key.as_dict(private=False)}, claims, key)
        def ask(dpop):
            body = json.dumps({"grant_type": "client_credentials", "client_id": "dev-service",
                               "client_secret": "dev-service-secret"}).encode()
            request = urllib.request.Request(endpoint, data=body, headers={"content-type": "application/json", "DPoP": dpop})
            try:
                with urllib.request.urlopen(request) as answer:
                    return answer.status, json.loads(answer.read()), answer.headers.get("DPoP-Nonce")
            except urllib.error.HTTPError as error:
                return error.code, json.loads(error.read()), error.headers.get("DPoP-Nonce")
        first = ask(proof())  # without a nonce: bound, and the provider's nonce handed out
        nonce = first[2]
        wrong = ask(proof(nonce="not-the-nonce"))
        used = proof(nonce=nonce)
        bound = ask(used)
        keys = jwk.KeySet.import_key_set(json.loads(urllib.request.urlopen(base + "/idp/.well-known/jwks.json").read()))
        claims = jwt.decode(bound[1]["access_token"], keys).claims
        # A public client's refresh token is bound to the key: refreshed with a proof from that key only.
        def ask_form(fields, dpop):
            request = urllib.request.Request(endpoint, data=json.dumps(fields).encode(),
                                             headers={"content-type": "application/json", **({"DPoP": dpop} if dpop else {})})
            try:
                with urllib.request.urlopen(request) as answer: return answer.status, json.loads(answer.read())
            except urllib.error.HTTPError as error: return error.code, json.loads(error.read())
        signin = {"grant_type": "password", "username": "ada@example.com", "password": "correct horse battery staple",
                  "client_id": "gatehouse-console", "scope": "offline_access read:profile"}
        first_refresh = ask_form(signin, proof(nonce=nonce))[1]["refresh_token"]
        refresh = lambda token: {"grant_type": "refresh_token", "refresh_token": token, "client_id": "gatehouse-console"}
        same_key = ask_form(refresh(first_refresh), proof(nonce=nonce))
        other = jwk.ECKey.generate_key("P-256")
        other_proof = jwt.encode({"typ": "dpop+jwt", "alg": "ES256", "jwk": other.as_dict(private=False)},
                                 {"jti": str(uuid.uuid4()), "htm": "POST", "htu": endpoint, "iat": int(time.time()), "nonce": nonce}, other)
        other_key = ask_form(refresh(same_key[1]["refresh_token"]), other_proof)
        print(json.dumps({
            "refresh_same_key": [same_key[0], same_key[1].get("token_type")],
            "refresh_other_key": [other_key[0], other_key[1].get("error")],
            "refresh_without_proof": ask_form(refresh(same_key[1]["refresh_token"]), None)[1].get("error"),
            "first": [first[0], first[1].get("token_type"), bool(nonce)],
            "wrong_nonce_answer": [wrong[0], wrong[1].get("error"), wrong[2] == nonce],
            "bound": [bound[0], bound[1].get("token_type")],
            "jkt": claims.get("cnf", {}).get("jkt"), "thumbprint": key.thumbprint(),
            "replayed": ask(used)[1].get("error"),
            "other_url": ask(proof(url=base + "/idp/other", nonce=nonce))[1].get("error"),
        }))
        """#

    @Test(.enabled(if: python != nil, "skipped: joserfc (PyPI) is not importable; `make test` installs test peers"))
    func tokensAreBoundToTheProofsKey() throws {
        let output = try PythonPeer.output(Self.python!, script: Self.script, arguments: [SeedFlowTests.stack.base])
        let result = try JSONValue.object(parsing: Array(output.utf8))
        #expect(result["first"] == .array([.number(200), .string("DPoP"), .bool(true)]))
        #expect(result["wrong_nonce_answer"] == .array([.number(400), .string("use_dpop_nonce"), .bool(true)]))
        #expect(result["bound"] == .array([.number(200), .string("DPoP")]))
        #expect(result["jkt"] != nil && result["jkt"] == result["thumbprint"])
        #expect(result["replayed"] == .string("invalid_dpop_proof"))
        #expect(result["other_url"] == .string("invalid_dpop_proof"))
        #expect(result["refresh_same_key"] == .array([.number(200), .string("DPoP")]))
        #expect(result["refresh_other_key"] == .array([.number(400), .string("invalid_dpop_proof")]))
        // The family ended with the other key's attempt: the token it named is worthless, proof or not.
        #expect(result["refresh_without_proof"] == .string("invalid_grant"))
    }

    @Test func discoveryNamesTheProofAlgorithms() async throws {
        let (_, body) = try await SeedFlowTests.call(SeedFlowTests.stack, "GET", "/idp/.well-known/openid-configuration")
        let algorithms = try JSONValue.object(parsing: Array(body.utf8))["dpop_signing_alg_values_supported"]?.arrayValue ?? []
        #expect(algorithms.contains(.string("ES256")) && !algorithms.contains(.string("HS256")))
    }
}
