import JWT
import JSON
import Transport
import Glibc

/// `jwt.verify.rs256|es256|hs256`: full verification (signature + claims policy) of a ~900-byte Auth0-like access
/// token, keys already parsed, one thread. `jwt.verify.rs256.cold`: a fresh `gatehouse jwt verify` process
/// parsing the JWKS and verifying once (median of 20 runs, process spawn included). `jwt.dpop.verify.es256`: one
/// DPoP proof checked.
let jwtBenchmarks = Benchmark(name: "jwt") { products in
    var lines: [BenchLine] = []
    let now = currentTime().rounded(.down)  // NumericDates are whole seconds in real tokens
    let claims: [String: JSONValue] = [
        "iss": "https://gatehouse-dev.us.auth0.com/", "sub": "auth0|5f7c8ec7c33c6c004bbafe82",
        "aud": ["https://api.gatehouse.dev", "https://gatehouse-dev.us.auth0.com/userinfo"],
        "iat": .number(now), "exp": .number(now + 86_400), "azp": "Xn3aBsdqrXy4uRg7VmS0mF2cYp8kLzQw",
        "scope": "openid profile email read:profile write:wishlist", "gty": "password",
        "https://gatehouse.dev/tenant": "acme",
    ]
    let policy = ClaimsPolicy(issuer: "https://gatehouse-dev.us.auth0.com/", audiences: ["https://api.gatehouse.dev"],
                              requiredScopes: ["write:wishlist"])
    let baselines = ["rs256": OpenSSLBaseline(type: "RSA"), "es256": OpenSSLBaseline(type: "EC")]
    for (name, algorithm) in [("rs256", JWSAlgorithm.rs256), ("es256", .es256), ("hs256", .hs256)] {
        let key = try JWK.generate(for: algorithm, keyID: "bench-\(name)")
        let token = try JWTSigner(key: key, algorithm: algorithm).sign(claims)
        let verifier = JWTVerifier(keys: JWKSet(keys: [algorithm == .hs256 ? key : try key.publicKey()]), policy: policy)
        _ = try verifier.verify(token, now: now)
        if let baseline = baselines[name] ?? nil {
            let (ours, raw) = try interleavedRates({ _ = try verifier.verify(token, now: now) }, { _ = baseline.verify() })
            lines.append(BenchLine(name: "jwt.verify.\(name)", value: formatted(ours), unit: "ops/s"))
            lines.append(BenchLine(name: "jwt.openssl.\(name == "rs256" ? "rsa2048" : "p256").verify", value: formatted(raw),
                                   unit: "ops/s"))
            lines.append(BenchLine(name: "jwt.verify.\(name).vs_openssl", value: formatted(ours / raw, digits: 2), unit: "x"))
        } else {
            let rate = try measureRate(seconds: 2) { _ = try verifier.verify(token, now: now) }
            lines.append(BenchLine(name: "jwt.verify.\(name)", value: formatted(rate), unit: "ops/s"))
        }
        if name == "rs256" {
            lines.append(BenchLine(name: "jwt.token.bytes", value: String(token.utf8.count), unit: "bytes"))
            lines.append(BenchLine(name: "jwt.verify.rs256.cold",
                                   value: formatted(try coldVerifyMicroseconds(products, key: key, token: token)), unit: "us"))
        }
    }
    lines.append(BenchLine(name: "jwt.dpop.verify.es256", value: formatted(try dpopCheckMicroseconds(now: now)), unit: "us"))
    return lines
}

/// What a DPoP check adds to a request (issue 35): verifying one ES256 proof — its key parsed from the header, the
/// signature, htm/htu/iat/ath and the key's thumbprint — in microseconds (the replay cache's lookup not included).
private func dpopCheckMicroseconds(now: Double) throws -> Double {
    let signer = try JWTSigner(key: try JWK.generate(for: .es256, keyID: nil), algorithm: .es256)
    let url = "https://api.gatehouse.dev/dpop/whoami", token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl"
    let proof = try DPoP.proof(signer: signer, method: "GET", url: url, accessToken: token, now: now, id: "bench-1")
    _ = try DPoP.verify(proof, method: "GET", url: url, accessToken: token, now: now)
    let rate = try measureRate(seconds: 2) { _ = try DPoP.verify(proof, method: "GET", url: url, accessToken: token, now: now) }
    return 1e6 / rate
}

/// Calls `body` repeatedly for about `seconds`; operations per second.
func measureRate(seconds: Double, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<200 { try body() }
    var count = 0
    let start = monotonicNanoseconds()
    let end = start + UInt64(seconds * 1e9)
    var now = start
    while now < end {
        for _ in 0..<100 { try body() }
        count += 100
        now = monotonicNanoseconds()
    }
    return Double(count) / (Double(now - start) / 1e9)
}

/// Median wall time of `gatehouse jwt verify` on a fresh process: JWKS parse + first verify + process start.
func coldVerifyMicroseconds(_ products: String, key: JWK, token: String) throws -> Double {
    let jwksPath = "/tmp/gatehouse-bench-jwks-\(getpid()).json"
    let jwks = JSONValue.object(["keys": .array([.object(try key.publicKey().members(includingPrivate: false))])]).jsonText
    let file = fopen(jwksPath, "w")
    fputs(jwks, file)
    fclose(file)
    defer { unlink(jwksPath) }
    var samples: [Double] = []
    for _ in 0..<20 {
        let arguments = [products + "/gatehouse", "jwt", "verify", "--jwks", jwksPath, "--issuer",
                         "https://gatehouse-dev.us.auth0.com/", "--audience", "https://api.gatehouse.dev", token]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pid = pid_t()
        let start = monotonicNanoseconds()
        guard posix_spawn(&pid, arguments[0], &actions, nil, argv, environ) == 0 else { return 0 }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        guard status == 0 else { return 0 }
        samples.append(Double(monotonicNanoseconds() - start) / 1000)
    }
    return median(samples)
}
