import GatehouseTesting
import JSON
import JWT
import Testing

/// DPoP proofs (RFC 9449) made by an independent implementation (joserfc): good ones of three key types pass with the
/// key's RFC 7638 thumbprint as joserfc computes it; each defect of §4.3's checklist is refused.
@Suite struct DPoPTests {
    static let python = PythonPeer.find(module: "joserfc")
    static let url = "https://api.example.com/dpop/whoami"
    static let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2ln"

    static let script = #"""
        import base64, json, sys, time
        from joserfc import jwt, jwk
        url, token, now = sys.argv[1], sys.argv[2], int(sys.argv[3])
        import hashlib
        ath = base64.urlsafe_b64encode(hashlib.sha256(token.encode()).digest()).rstrip(b"=").decode()
        keys = {"ES256": jwk.ECKey.generate_key("P-256"), "PS256": jwk.RSAKey.generate_key(2048),
                "EdDSA": jwk.OKPKey.generate_key("Ed25519")}
        def proof(alg="ES256", header=None, claims=None, drop=(), private=False):
            key = keys[alg]
            h = {"typ": "dpop+jwt", "alg": alg, "jwk": key.as_dict(private=private)}
            h.update(header or {})
            c = {"jti": "j-" + alg + str(len(json.dumps(header or {})) + len(json.dumps(claims or {}))), "htm": "GET",
                 "htu": url, "iat": now, "ath": ath}
            c.update(claims or {})
            for name in drop:
                (h if name in ("typ", "jwk") else c).pop(name, None)
            return jwt.encode(h, c, key, algorithms=[alg])
        def tamper(text):
            head, body, sig = text.split(".")
            return ".".join([head, body, ("A" if sig[0] != "A" else "B") + sig[1:]])
        unsigned = lambda h, c: ".".join(base64.urlsafe_b64encode(json.dumps(p).encode()).rstrip(b"=").decode() for p in (h, c)) + "."
        cases = [
            ("good ES256", proof("ES256"), keys["ES256"].thumbprint()),
            ("good PS256", proof("PS256"), keys["PS256"].thumbprint()),
            ("good EdDSA", proof("EdDSA"), keys["EdDSA"].thumbprint()),
            ("query and fragment are not compared", proof(claims={"htu": url + "?x=1#y"}), keys["ES256"].thumbprint()),
            ("not a JWS", "not.a.jws", None),
            ("typ is not dpop+jwt", proof(header={"typ": "JWT"}), None),
            ("no typ", proof(drop=("typ",)), None),
            ("alg none", unsigned({"typ": "dpop+jwt", "alg": "none", "jwk": keys["ES256"].as_dict(private=False)},
                                  {"jti": "n", "htm": "GET", "htu": url, "iat": now, "ath": ath}), None),
            ("signature does not verify", tamper(proof()), None),
            ("jwk holds the private key", proof(private=True), None),
            ("no jwk", proof(drop=("jwk",)), None),
            ("another method", proof(claims={"htm": "POST"}), None),
            ("another URL", proof(claims={"htu": "https://api.example.com/other"}), None),
            ("another host", proof(claims={"htu": "https://evil.example.com/dpop/whoami"}), None),
            ("stale iat", proof(claims={"iat": now - 3600}), None),
            ("iat in the future", proof(claims={"iat": now + 3600}), None),
            ("no jti", proof(drop=("jti",)), None),
            ("ath of another token", proof(claims={"ath": "x" * 43}), None),
            ("no ath", proof(drop=("ath",)), None),
        ]
        print(json.dumps({"cases": [{"name": n, "proof": p, "thumbprint": t} for n, p, t in cases]}))
        """#

    @Test(.enabled(if: python != nil, "skipped: joserfc (PyPI) is not importable; `make test` installs test peers"))
    func proofsFromJoserfcAreCheckedAsRFC9449Says() throws {
        let now = 1_760_000_000
        let output = try PythonPeer.output(Self.python!, script: Self.script, arguments: [Self.url, Self.token, String(now)])
        let cases = try #require(try JSONValue.object(parsing: Array(output.utf8))["cases"]?.arrayValue)
        #expect(cases.count == 19)
        for entry in cases {
            let item = entry.objectValue ?? [:]
            let name = item["name"]?.stringValue ?? "", proof = item["proof"]?.stringValue ?? ""
            let result = Result { () throws(DPoP.Failure) in
                try DPoP.verify(proof, method: "GET", url: Self.url, accessToken: Self.token, now: Double(now))
            }
            if let thumbprint = item["thumbprint"]?.stringValue {
                #expect((try? result.get())?.thumbprint == thumbprint, "\(name): \(result)")
            } else {
                #expect((try? result.get()) == nil, "\(name) must be refused")
            }
        }
    }

    @Test func aServerNonceMustBeInTheProof() {
        #expect(throws: DPoP.Failure.self) {
            try DPoP.verify("x.y.z", method: "GET", url: Self.url, accessToken: nil, now: 0, nonce: "n-1")
        }
    }

    @Test func theAccessTokenHashIsRFC9449s() {
        // RFC 9449 §7.1's example: the hash of the access token "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU".
        #expect(DPoP.accessTokenHash("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU") == "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo")
    }
}
