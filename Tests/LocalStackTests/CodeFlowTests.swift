import AWS
import FoundationEssentials
import GatehouseTesting
import JSON
@_spi(Gatehouse) import JWT
import LocalStack
import Testing
import TransportClient

/// The dev identity provider's authorization code flow with PKCE: the hosted login page, the one-time code, the
/// token exchange — driven by authlib (an independent OAuth/OIDC client) and, for every way it must refuse, by hand.
@Suite(.serialized) struct CodeFlowTests {
    static let python = PythonPeer.find(module: "authlib")
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"  // RFC 7636 appendix B

    /// RFC 7636 appendix B: the S256 challenge of its verifier.
    @Test func theS256ChallengeIsRFC7636s() {
        #expect(PKCE.challenge(forVerifier: Self.verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE.isWellFormed(Self.verifier) && !PKCE.isWellFormed("short") && !PKCE.isWellFormed(Self.verifier + "!"))
    }

    /// authlib signs in as a browser app would: authorize → the login form → code → token with its verifier, then
    /// checks the ID token (signature from the JWKS, issuer, audience, nonce) with its own rules. The code works
    /// once; presented again it fails and revokes the refresh token its first use issued.
    @Test(.enabled(if: python != nil, "skipped: authlib (PyPI) is not importable; `make test` installs test peers"))
    func authlibCompletesTheCodeFlow() async throws {
        let stack = SeedFlowTests.stack
        let output = try PythonPeer.output(Self.python!, script: Self.authlibScript, arguments: [stack.base])
        let result = try JSONValue.object(parsing: Array(output.utf8))
        // SPEC §4: the scopes asked that the user holds (`openid` and `offline_access` ask for tokens, not scopes).
        #expect(result["scope"]?.stringValue == "read:profile")
        #expect(result["id_token_sub"]?.stringValue == "auth0|ada@example.com")
        #expect(result["id_token_valid"] == .bool(true) && result["state_returned"] == .bool(true))
        #expect(result["access_token_aud"]?.stringValue == "https://api.gatehouse.dev")
        #expect(result["reuse"]?.stringValue == "invalid_grant")
        #expect(result["refresh_after_reuse"]?.stringValue == "invalid_grant")
        // The access token from the code flow is the API's: the JWT authorizer's route takes it.
        let token = try #require(result["access_token"]?.stringValue)
        #expect(try await SeedFlowTests.call(stack, "GET", "/profile", token: token).0 == 200)
    }

    static let authlibScript = #"""
        import json, re, sys, requests
        from authlib.integrations.requests_client import OAuth2Session
        from authlib.common.security import generate_token
        from authlib.jose import JsonWebKey, jwt
        from authlib.oidc.core import CodeIDToken
        base = sys.argv[1]
        discovery = requests.get(base + "/idp/.well-known/openid-configuration").json()
        redirect = base + "/"
        client = OAuth2Session("gatehouse-console", redirect_uri=redirect, scope="openid offline_access read:profile",
                               code_challenge_method="S256")
        verifier, nonce = generate_token(48), generate_token(20)
        url, state = client.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
        browser = requests.Session()
        page = browser.get(url)
        fields = dict(re.findall(r'name="(transaction|csrf)" value="([^"]+)"', page.text))
        fields.update(username="ada@example.com", password="correct horse battery staple")
        back = browser.post(base + "/idp/authorize", data=fields, allow_redirects=False)
        location = back.headers["Location"]
        token = client.fetch_token(discovery["token_endpoint"], authorization_response=location, code_verifier=verifier)
        keys = JsonWebKey.import_key_set(requests.get(discovery["jwks_uri"]).json())
        claims = jwt.decode(token["id_token"], keys, claims_cls=CodeIDToken,
                            claims_options={"iss": {"essential": True, "value": discovery["issuer"]},
                                            "aud": {"essential": True, "value": "gatehouse-console"}},
                            claims_params={"nonce": nonce, "client_id": "gatehouse-console"})
        claims.validate()
        access = jwt.decode(token["access_token"], keys)
        reuse = requests.post(discovery["token_endpoint"], data={"grant_type": "authorization_code",
            "code": re.search(r"code=([^&]+)", location).group(1), "redirect_uri": redirect, "client_id": "gatehouse-console",
            "code_verifier": verifier}).json().get("error")
        refresh = requests.post(discovery["token_endpoint"], data={"grant_type": "refresh_token",
            "refresh_token": token["refresh_token"], "client_id": "gatehouse-console"}).json().get("error")
        print(json.dumps({"scope": token["scope"], "id_token_sub": claims["sub"], "id_token_valid": True,
                          "access_token": token["access_token"], "access_token_aud": access["aud"], "reuse": reuse,
                          "refresh_after_reuse": refresh, "state_returned": state in location}))
        """#

    // MARK: - Refusals, by hand

    struct Browser {
        let base: String
        var cookie: String?

        /// `GET /idp/authorize` with `parameters` (console client, its redirect URI, a challenge unless given).
        mutating func authorize(_ parameters: [String: String?]) async throws -> HTTPClient.Response {
            var all: [String: String?] = ["response_type": "code", "client_id": "gatehouse-console", "redirect_uri": base + "/",
                                          "scope": "openid read:profile", "state": "s-1", "code_challenge_method": "S256",
                                          "code_challenge": PKCE.challenge(forVerifier: CodeFlowTests.verifier)]
            all.merge(parameters) { _, given in given }
            let query = all.compactMapValues { $0 }.map { "\($0.key)=\(SigV4.uriEncode($0.value))" }
                .joined(separator: "&")
            let response = try await SeedFlowTests.client.send("GET", base + "/idp/authorize?" + query, headers: [], body: [])
            if let setCookie = response.headers.first(where: { $0.name.lowercased() == "set-cookie" })?.value {
                cookie = String(setCookie.prefix { $0 != ";" })
            }
            return response
        }

        /// Posts the login form of `page` with `password`; the answer.
        func signIn(_ page: HTTPClient.Response, password: String = "correct horse battery staple",
                    sendCookie: Bool = true) async throws -> HTTPClient.Response {
            let html = String(decoding: page.body, as: UTF8.self)
            func hidden(_ name: String) -> String {
                html.firstMatch(of: try! Regex("name=\"\(name)\" value=\"([^\"]+)\"")).map { String($0.output[1].substring ?? "") } ?? ""
            }
            let form = "transaction=\(hidden("transaction"))&csrf=\(hidden("csrf"))&username=ada%40example.com&password="
                + SigV4.uriEncode(password)
            var headers = [("content-type", "application/x-www-form-urlencoded")]
            if sendCookie, let cookie { headers.append(("cookie", cookie)) }
            return try await SeedFlowTests.client.send("POST", base + "/idp/authorize", headers: headers, body: Array(form.utf8))
        }

        /// The `code` of a redirect.
        static func code(of response: HTTPClient.Response) -> String? {
            location(of: response)?.firstMatch(of: #/[?&]code=([^&]+)/#).map { String($0.1) }
        }

        static func location(of response: HTTPClient.Response) -> String? {
            response.headers.first { $0.name.lowercased() == "location" }?.value
        }

        /// Redeems `code`; status and OAuth error.
        func redeem(_ code: String, verifier: String = CodeFlowTests.verifier, client: String = "gatehouse-console",
                    redirect: String? = nil) async throws -> (Int, String?) {
            let form = ["grant_type": "authorization_code", "code": code, "client_id": client,
                        "redirect_uri": redirect ?? base + "/", "code_verifier": verifier]
                .map { "\($0.key)=\(SigV4.uriEncode($0.value))" }.joined(separator: "&")
            let response = try await SeedFlowTests.client.send("POST", base + "/idp/oauth/token",
                                                               headers: [("content-type", "application/x-www-form-urlencoded")],
                                                               body: Array(form.utf8))
            return (response.status, (try? JSONValue.object(parsing: response.body))?["error"]?.stringValue)
        }
    }

    @Test func anUnregisteredRedirectGetsAPageAndNoRedirect() async throws {
        var browser = Browser(base: SeedFlowTests.stack.base)
        for redirect in ["https://evil.example/", SeedFlowTests.stack.base + "/x", SeedFlowTests.stack.base] {
            let page = try await browser.authorize(["redirect_uri": redirect])
            #expect(page.status == 400 && Browser.location(of: page) == nil, "\(redirect)")
        }
        let unknown = try await browser.authorize(["client_id": "no-such-app"])
        #expect(unknown.status == 400 && Browser.location(of: unknown) == nil)
    }

    @Test(arguments: [["code_challenge_method": "plain"], ["code_challenge": nil], ["code_challenge_method": nil],
                      ["code_challenge": "too-short"], ["response_type": "token"]])
    func withoutS256PKCENoCodeIsGiven(parameters: [String: String?]) async throws {
        var browser = Browser(base: SeedFlowTests.stack.base)
        let answer = try await browser.authorize(parameters)
        let location = try #require(Browser.location(of: answer))
        #expect(answer.status == 302 && location.hasPrefix(SeedFlowTests.stack.base + "/?") && location.contains("error=")
                && location.contains("state=s-1") && !location.contains("code="))
    }

    @Test func aCodeWorksOnceForItsClientRedirectAndVerifier() async throws {
        var browser = Browser(base: SeedFlowTests.stack.base)
        func freshCode() async throws -> String {
            let page = try await browser.authorize([:])
            #expect(page.status == 200 && String(decoding: page.body, as: UTF8.self).contains(#"name="password""#))
            let back = try await browser.signIn(page)
            #expect(back.status == 302 && Browser.location(of: back)?.contains("state=s-1") == true)
            return try #require(Browser.code(of: back))
        }
        let code = try await freshCode()
        #expect(try await browser.redeem(code).0 == 200)
        #expect(try await browser.redeem(code) == (400, "invalid_grant"))  // once
        #expect(try await browser.redeem(try await freshCode(), verifier: String(repeating: "a", count: 43)) == (400, "invalid_grant"))
        #expect(try await browser.redeem(try await freshCode(), redirect: "http://localhost:1/") == (400, "invalid_grant"))
        #expect(try await browser.redeem(try await freshCode(), client: "reader-service").0 == 401)  // no secret: not that client
        // Spent by a wrong presentation too: the right verifier cannot follow a guess.
        let guessed = try await freshCode()
        _ = try await browser.redeem(guessed, verifier: String(repeating: "b", count: 43))
        #expect(try await browser.redeem(guessed) == (400, "invalid_grant"))
    }

    @Test func theLoginFormNeedsItsCookieAndTheRightPassword() async throws {
        var browser = Browser(base: SeedFlowTests.stack.base)
        let page = try await browser.authorize([:])
        // A form posted without the browser's CSRF cookie (from another site) is refused.
        #expect(try await browser.signIn(page, sendCookie: false).status == 403)
        let wrong = try await browser.signIn(page, password: "not it")
        #expect(wrong.status == 401 && Browser.location(of: wrong) == nil
                && String(decoding: wrong.body, as: UTF8.self).contains("Wrong email or password."))
        let headers = Dictionary(page.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        #expect(headers["content-security-policy"]?.contains("default-src 'none'") == true)
        #expect(headers["set-cookie"]?.contains("HttpOnly; SameSite=Strict") == true)
    }

    @Test func discoveryNamesTheCodeFlow() async throws {
        let (status, body) = try await SeedFlowTests.call(SeedFlowTests.stack, "GET", "/idp/.well-known/openid-configuration")
        let document = try JSONValue.object(parsing: Array(body.utf8))
        #expect(status == 200 && document["authorization_endpoint"]?.stringValue == SeedFlowTests.stack.base + "/idp/authorize")
        #expect(document["code_challenge_methods_supported"] == .array([.string("S256")]))
    }

    /// Sign-out (RFC 7009 at `/idp/oauth/revoke`): the client's refresh token and its family stop working; a client
    /// that does not authenticate is refused, another client's token is left alone, an unknown token is no error.
    @Test func revokingARefreshTokenEndsItsSession() async throws {
        let base = SeedFlowTests.stack.base
        func post(_ path: String, _ fields: [String: String]) async throws -> (Int, [String: JSONValue]) {
            let response = try await SeedFlowTests.client.send("POST", base + path, headers: [("content-type", "application/json")],
                                                               body: Array(JSONValue.object(fields.mapValues { .string($0) }).jsonText.utf8))
            return (response.status, (try? JSONValue.object(parsing: response.body)) ?? [:])
        }
        let signIn: [String: String] = ["grant_type": "password", "username": "ada@example.com", "client_id": "gatehouse-console",
                                        "password": "correct horse battery staple", "scope": "offline_access read:profile"]
        let first = try #require(try await post("/idp/oauth/token", signIn).1["refresh_token"]?.stringValue)
        let kept = try #require(try await post("/idp/oauth/token", signIn).1["refresh_token"]?.stringValue)
        #expect(try await post("/idp/oauth/revoke", ["token": first, "client_id": "dev-service", "client_secret": "wrong"]).0 == 401)
        #expect(try await post("/idp/oauth/revoke", ["token": kept, "client_id": "dev-service",
                                                     "client_secret": "dev-service-secret"]).0 == 200)  // not its token
        #expect(try await post("/idp/oauth/revoke", ["token": "unknown", "client_id": "gatehouse-console"]).0 == 200)
        #expect(try await post("/idp/oauth/revoke", ["token": first, "client_id": "gatehouse-console"]).0 == 200)
        let refresh = { (token: String) in ["grant_type": "refresh_token", "refresh_token": token, "client_id": "gatehouse-console"] }
        let refused = try await post("/idp/oauth/token", refresh(first))
        #expect(refused.0 == 403 && refused.1["error"] == "invalid_grant")
        #expect(try await post("/idp/oauth/token", refresh(kept)).0 == 200)  // another client could not revoke it
    }
}
