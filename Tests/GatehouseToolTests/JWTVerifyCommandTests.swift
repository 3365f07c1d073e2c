import GatehouseTesting
import Foundation
import Testing

/// `gatehouse jwt verify` as a user runs it, on tokens made by a foreign library (joserfc, PyPI).
@Suite struct JWTVerifyCommandTests {
    static let python = ["GATEHOUSE_PYTHON", "PYTHON"].compactMap { ProcessInfo.processInfo.environment[$0] }.first
        ?? "/usr/bin/env"
    static let hasJoserfc = run(python == "/usr/bin/env" ? ["/usr/bin/env", "python3", "-c", "import joserfc"]
                                                         : [python, "-c", "import joserfc"]).status == 0

    /// Makes an RS256 key with joserfc, writes its public JWKS, and prints tokens: valid, expired, wrong audience,
    /// missing scope.
    static let script = #"""
        import json, sys, time
        from joserfc import jwt
        from joserfc.jwk import OctKey, RSAKey
        key = RSAKey.generate_key(2048, parameters={"kid": "py-1", "use": "sig", "alg": "RS256"})
        secret = OctKey.import_key(b"s" * 32, {"kid": "h1", "alg": "HS256"})
        open(sys.argv[1], "w").write(json.dumps({"keys": [key.as_dict(private=False), secret.as_dict(private=True)]}))
        now = int(time.time())
        base = {"iss": "https://idp.example/", "aud": "https://api.gatehouse.dev", "sub": "svc", "iat": now,
                "exp": now + 300, "scope": "read:profile write:wishlist"}
        def sign(claims): return jwt.encode({"alg": "RS256", "kid": "py-1"}, claims, key)
        print(sign(base))
        print(sign({**base, "exp": now - 100}))
        print(sign({**base, "aud": "https://other.example"}))
        print(sign({**base, "scope": "read:profile"}))
        print(jwt.encode({"alg": "HS256", "kid": "h1"}, base, secret))
        """#

    static func run(_ command: [String], stdin: String? = nil, environment: [String: String] = [:],
                    directory: String? = nil) -> (status: Int32, out: String, err: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.arguments = Array(command.dropFirst())
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        guard (try? process.run()) != nil else { return (127, "", "cannot start \(command[0])") }
        let deadline = 120, watch = ChildDeadline(pid: process.processIdentifier, seconds: deadline)
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if watch.reaped() { return (137, "", ChildDeadline.reason(command.joined(separator: " "), seconds: deadline)) }
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    static var gatehouse: String { Repository.builtProducts + "/gatehouse" }

    @Test(.enabled(if: hasJoserfc, "skipped: joserfc (PyPI) is not importable; `make test` installs test peers"))
    func verifiesForeignTokens() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let jwks = directory.appendingPathComponent("jwks.json").path
        let scriptPath = directory.appendingPathComponent("make_tokens.py").path
        try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let pythonCommand = Self.python == "/usr/bin/env" ? ["/usr/bin/env", "python3"] : [Self.python]
        let made = Self.run(pythonCommand + [scriptPath, jwks])
        try #require(made.status == 0, "\(made.err)")
        let tokens = made.out.split(separator: "\n").map(String.init)
        try #require(tokens.count == 5)
        let base = [Self.gatehouse, "jwt", "verify", "--jwks", jwks, "--issuer", "https://idp.example/",
                    "--audience", "https://api.gatehouse.dev"]

        let valid = Self.run(base + ["--scope", "write:wishlist", tokens[0]])
        #expect(valid.status == 0, "\(valid.err)")
        let claims = try JSONSerialization.jsonObject(with: Data(valid.out.utf8)) as? [String: Any]
        #expect(claims?["sub"] as? String == "svc")

        let fromStdin = Self.run(base + ["-"], stdin: tokens[0] + "\n")
        #expect(fromStdin.status == 0)

        let expired = Self.run(base + [tokens[1]])
        #expect(expired.status == 1)
        #expect(expired.err == "invalid: the token has expired\n")
        let leeway = Self.run(base + ["--leeway", "200", tokens[1]])
        #expect(leeway.status == 0)

        #expect(Self.run(base + [tokens[2]]).err == "invalid: the token does not have a valid audience\n")
        let unscoped = Self.run(base + ["--scope", "write:wishlist", tokens[3]])
        #expect(unscoped.status == 1 && unscoped.err == "invalid: the token lacks scope write:wishlist\n")

        // The HS256 token names the oct key the set refused (a secret among public keys): the error says so.
        #expect(Self.run(base + [tokens[4]]).err
                == "invalid: key h1 was refused when the key set loaded: shared secret in a set of public keys\n")

        var parts = tokens[0].split(separator: ".").map(String.init)
        parts[1] = "eyJzdWIiOiJhZG1pbiJ9"  // {"sub":"admin"}
        let tampered = Self.run(base + [parts.joined(separator: ".")])
        #expect(tampered.status == 1)
        #expect(tampered.err.hasPrefix("invalid: "))
        #expect(!tampered.err.contains(parts[2]))  // the token never appears in the error
    }

    @Test func invokeRunsTheAppExecutable() throws {
        let root = Repository.root
        let memory = ["GATEHOUSE_STORAGE": "memory"]
        let result = Self.run([Self.gatehouse, "invoke", "wish-list", "--event",
                               root + "/Tests/Fixtures/events/apigw-v2-http-request-no-authorizer.json"], environment: memory)
        #expect(result.status == 0)
        let response = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
        #expect(response?["statusCode"] as? Int == 404)
        let denied = Self.run([Self.gatehouse, "invoke", "token-authorizer", "--event",
                               root + "/Tests/Fixtures/events/authorizer-token-event.json"], environment: memory)
        #expect(denied.status == 1 && denied.out.isEmpty && denied.err.contains(#""errorMessage":"Unauthorized""#))
        #expect(Self.run([Self.gatehouse, "invoke", "no-such-app", "--event", "/dev/null"]).status == 2)
        #expect(Self.run([Self.gatehouse, "invoke", "profile"]).status == 2)
    }

    @Test func routesListsAuthorizerAndHandlerRequirement() throws {
        let root = Repository.root
        let listing = Self.run([Self.gatehouse, "routes", "--template", root + "/template.json"])
        #expect(listing.status == 0)
        let lines = listing.out.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.contains("POST /wish-list HTTP JWT scope write:wishlist wish-list"))
        #expect(lines.contains("GET /profile REST TOKEN (Lambda) scope read:profile profile"))
        #expect(lines.contains("GET /wish-list HTTP none public wish-list"))
        #expect(lines.contains("POST /logout REST none public auth"))
        // A header and one line per template event (apps added by `gatehouse new` included).
        let template = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root + "/template.json"))) as! [String: Any]
        let events = (template["Resources"] as! [String: [String: Any]]).values.map {
            (($0["Properties"] as? [String: Any])?["Events"] as? [String: Any])?.count ?? 0
        }
        #expect(lines.count == 1 + events.reduce(0, +))
    }

    @Test func badUsageExitsTwo() {
        #expect(Self.run([Self.gatehouse, "jwt", "verify", "tok"]).status == 2)
        #expect(Self.run([Self.gatehouse, "jwt", "verify", "--jwks", "/nonexistent", "--issuer", "i", "--audience", "a", "t"]).status == 2)
        #expect(Self.run([Self.gatehouse, "jwt", "verify", "--bogus", "x", "t"]).status == 2)
        #expect(Self.run([Self.gatehouse, "nothing"]).status == 2)
    }

    /// The same saved event invoked twice against one data folder: two items, not a 500 (ids come from the
    /// invocations, as seed 000's `context.awsRequestId`).
    @Test func invokingTheSameEventTwiceMakesTwoItems() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-invoke-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fixture = PackagingTests.root.appendingPathComponent("Tests/Fixtures/events/apigw-v2-http-request-jwt-authorizer.json")
        var event = try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as! [String: Any]
        var context = event["requestContext"] as! [String: Any]
        var http = context["http"] as! [String: Any]
        http["method"] = "POST"
        http["path"] = "/wish-list"
        context["http"] = http
        context["authorizer"] = ["jwt": ["claims": ["sub": "svc@clients"], "scopes": ["write:wishlist"]]]
        context["requestId"] = "saved-event"
        event["requestContext"] = context
        event["rawPath"] = "/wish-list"
        event["routeKey"] = "POST /wish-list"
        event["body"] = #"{"name":"Kite"}"#
        let file = directory.appendingPathComponent("post.json")
        try JSONSerialization.data(withJSONObject: event).write(to: file)
        struct Answer: Decodable { var statusCode: Int; var body: String }
        let answers = try (0..<2).map { _ in
            let result = Self.run([Self.gatehouse, "invoke", "wish-list", "--event", file.path],
                                  environment: ["GATEHOUSE_STORAGE": "sqlite:\(directory.path)/items.sqlite",
                                                "GATEHOUSE_DATA": directory.path])
            return try JSONDecoder().decode(Answer.self, from: Data(result.out.utf8))
        }
        #expect(answers.map(\.statusCode) == [201, 201])
        #expect(answers[0].body != answers[1].body)
    }
}
