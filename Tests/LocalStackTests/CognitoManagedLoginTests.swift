import GatehouseTesting
import JSON
import Testing

/// The dev user pool's managed login (Cognito's hosted sign-in, here under `/cognito`), driven by authlib (an
/// independent OAuth/OIDC client): the code flow with PKCE for the template's app client — its callback URL, its
/// scopes — the ID token checked by authlib's own rules, a code that works once (its second use revokes the refresh
/// token the first issued), userInfo, the pool's REST authorizer taking the access token, and every refusal.
@Suite struct CognitoManagedLoginTests {
    static let python = PythonPeer.find(module: "authlib")

    static let script = #"""
        import json, re, sys, requests
        from authlib.integrations.requests_client import OAuth2Session
        from authlib.common.security import generate_token
        from authlib.jose import JsonWebKey, jwt
        from authlib.oidc.core import CodeIDToken
        base = sys.argv[1]
        issuer = base + "/cognito/us-east-1_GatehouseDev"
        discovery = requests.get(issuer + "/.well-known/openid-configuration").json()
        redirect = "http://localhost:" + base.rsplit(":", 1)[1] + "/"
        client = OAuth2Session("gatehouse-web", redirect_uri=redirect, scope="openid email profile",
                               code_challenge_method="S256", token_endpoint_auth_method="none")
        verifier, nonce = generate_token(48), generate_token(20)
        url, state = client.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
        browser = requests.Session()
        page = browser.get(url)
        action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
        fields = dict(re.findall(r'name="(transaction|csrf)" value="([^"]+)"', page.text))
        fields.update(username="carol@example.com", password="carol-carol-carol-1")
        back = browser.post(base + action, data=fields, allow_redirects=False)
        location = back.headers["Location"]
        token = client.fetch_token(discovery["token_endpoint"], authorization_response=location, code_verifier=verifier)
        keys = JsonWebKey.import_key_set(requests.get(discovery["jwks_uri"]).json())
        claims = jwt.decode(token["id_token"], keys, claims_cls=CodeIDToken,
                            claims_options={"iss": {"essential": True, "value": discovery["issuer"]},
                                            "aud": {"essential": True, "value": "gatehouse-web"}},
                            claims_params={"nonce": nonce, "client_id": "gatehouse-web"})
        claims.validate()
        access = jwt.decode(token["access_token"], keys)
        code = re.search(r"code=([^&]+)", location).group(1)
        reuse = requests.post(discovery["token_endpoint"], data={"grant_type": "authorization_code", "code": code,
            "redirect_uri": redirect, "client_id": "gatehouse-web", "code_verifier": verifier})
        refresh = requests.post(discovery["token_endpoint"], data={"grant_type": "refresh_token",
            "refresh_token": token["refresh_token"], "client_id": "gatehouse-web"}).json().get("error")
        userinfo = requests.get(discovery["userinfo_endpoint"], headers={"Authorization": "Bearer " + token["access_token"]})
        me = requests.get(base + "/me", headers={"Authorization": token["id_token"]})
        def authorize(**changes):
            query = {"response_type": "code", "client_id": "gatehouse-web", "redirect_uri": redirect, "state": "s",
                     "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256", "scope": "openid"}
            query.update(changes)
            answer = requests.get(discovery["authorization_endpoint"], params={k: v for k, v in query.items() if v is not None},
                                  allow_redirects=False)
            return [answer.status_code, answer.headers.get("Location", "")]
        print(json.dumps({
            "id_token_valid": True, "state_returned": "state=" + state in location, "token_type": token["token_type"],
            "access_scope": access["scope"], "access_token_use": access["token_use"], "id_username": claims["cognito:username"],
            "reuse": [reuse.status_code, reuse.json().get("error")], "refresh_after_reuse": refresh,
            "userinfo": [userinfo.status_code, userinfo.json().get("email") if userinfo.ok else None], "me": me.status_code,
            "unregistered_redirect": authorize(redirect_uri=base + "/")[0],
            "plain": authorize(code_challenge_method="plain"),
            "no_challenge": authorize(code_challenge=None, code_challenge_method=None),
            "other_scope": authorize(scope="openid aws.cognito.signin.user.admin"),
            "logout": [requests.get(base + "/cognito/logout", params={"client_id": "gatehouse-web", "logout_uri": redirect},
                                    allow_redirects=False).status_code,
                       requests.get(base + "/cognito/logout", params={"client_id": "gatehouse-web", "logout_uri": "https://evil.example/"},
                                    allow_redirects=False).status_code],
        }))
        """#

    @Test(.enabled(if: python != nil, "skipped: authlib (PyPI) is not importable; `make test` installs test peers"))
    func authlibCompletesTheCodeFlowAtThePool() throws {
        let output = try PythonPeer.output(Self.python!, script: Self.script, arguments: [SeedFlowTests.stack.base])
        let result = try JSONValue.object(parsing: Array(output.utf8))
        #expect(result["id_token_valid"] == .bool(true) && result["state_returned"] == .bool(true))
        #expect(result["id_username"] == .string("carol@example.com"))
        #expect(result["access_scope"] == .string("openid email profile") && result["access_token_use"] == .string("access"))
        #expect(result["reuse"] == .array([.number(400), .string("invalid_grant")]))
        #expect(result["refresh_after_reuse"] == .string("invalid_grant"))
        #expect(result["userinfo"] == .array([.number(200), .string("carol@example.com")]))
        #expect(result["me"] == .number(200))
        #expect(result["unregistered_redirect"] == .number(400))
        for refused in ["plain", "no_challenge"] {
            #expect(result[refused]?.arrayValue?.last?.stringValue?.contains("error=invalid_request") == true, "\(refused)")
        }
        #expect(result["other_scope"]?.arrayValue?.last?.stringValue?.contains("error=invalid_scope") == true)
        #expect(result["logout"] == .array([.number(302), .number(400)]))
    }
}
