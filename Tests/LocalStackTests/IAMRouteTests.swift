import FoundationEssentials
import GatehouseTesting
import Glibc
import HTTP
import JWT
import LocalStack
import Testing
import TransportClient

/// `AWS_IAM` routes as API Gateway runs them, with requests signed by AWS's own signer (`botocore`, PyPI): the dev
/// IAM identity passes and reaches the handler as an IAM caller; unsigned, tampered, foreign-key, stale and
/// bearer-token requests get API Gateway's 403s (SPEC §3) before any function runs.
@Suite(.serialized) struct IAMRouteTests {
    static let python = PythonPeer.find(module: "botocore")
    static let devKey = ("AKIAGATEHOUSEDEV0001", "gatehouse-dev-secret-access-key-0000000000")

    /// Prints the headers botocore adds to sign `METHOD URL` with `KEY SECRET` as of `AGE` seconds ago.
    static let signer = #"""
        import datetime, json, sys
        import botocore.auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        method, url, key, secret, age = sys.argv[1:6]
        moment = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(seconds=int(age))
        botocore.auth.get_current_datetime = lambda *args, **kwargs: moment
        request = AWSRequest(method=method, url=url, data=b"")
        botocore.auth.SigV4Auth(Credentials(key, secret), "execute-api", "us-east-1").add_auth(request)
        print(json.dumps({name: value for name, value in request.headers.items()}))
        """#

    static func signedHeaders(_ method: String, _ url: String, key: (String, String) = devKey, age: Int = 0) throws
        -> [(String, String)]
    {
        let output = try PythonPeer.output(python!, script: signer, arguments: [method, url, key.0, key.1, String(age)])
        let headers = try JSONDecoder().decode([String: String].self, from: Data(output.utf8))
        return headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func send(_ stack: LocalStackServer, _ path: String, headers: [(String, String)]) async throws
        -> (status: Int, body: String, errorType: String?)
    {
        let response = try await SeedFlowTests.client.send("GET", stack.baseURL + path, headers: headers, body: [])
        return (response.status, String(decoding: response.body, as: UTF8.self),
                response.headers.first { $0.name.lowercased() == "x-amzn-errortype" }?.value)
    }

    static func stack(_ template: String) throws -> LocalStackServer {
        try LocalStackServer.onFreePort(templatePath: Repository.path(template), identitiesPath: Repository.identities,
                                        executables: Repository.builtProducts)
    }

    @Test(.enabled(if: python != nil, Comment(rawValue: PythonPeer.skipReason(module: "botocore"))))
    func restRouteTakesOnlyTheDevIdentitysSignature() async throws {
        let stack = try Self.stack("template.json")
        let url = stack.baseURL + "/internal/wish-list?b=2&a=1"
        let signed = try Self.signedHeaders("GET", url)
        let passed = try await Self.send(stack, "/internal/wish-list?b=2&a=1", headers: signed)
        #expect(passed.status == 200 && passed.body.contains(#""Items""#), "\(passed)")
        let staged = try await Self.send(stack, "/dev/internal/wish-list",
                                         headers: try Self.signedHeaders("GET", stack.baseURL + "/dev/internal/wish-list"))
        #expect(staged.status == 200)

        let unsigned = try await Self.send(stack, "/internal/wish-list", headers: [])
        #expect(unsigned.status == 403 && unsigned.body == #"{"message":"Missing Authentication Token"}"#)
        // The signature covers the path and the query: the same headers on another request do not match.
        let moved = try await Self.send(stack, "/dev/internal/wish-list?b=2&a=1", headers: signed)
        #expect(moved.status == 403 && moved.errorType == "InvalidSignatureException")
        #expect(moved.body.hasPrefix(#"{"message":"The request signature we calculated does not match the signature you provided."#))
        #expect(moved.body.contains("GET\\n/dev/internal/wish-list\\na=1&b=2\\n"), "the canonical string AWS would show")
        let requeried = try await Self.send(stack, "/internal/wish-list?b=3&a=1", headers: signed)
        #expect(requeried.status == 403 && requeried.errorType == "InvalidSignatureException")
        let tampered = signed.map { ($0.0, $0.0 == "Authorization" ? String($0.1.dropLast()) + ($0.1.hasSuffix("0") ? "1" : "0") : $0.1) }
        #expect(try await Self.send(stack, "/internal/wish-list?b=2&a=1", headers: tampered).errorType == "InvalidSignatureException")

        let wrongSecret = try await Self.send(stack, "/internal/wish-list", headers: try Self.signedHeaders(
            "GET", stack.baseURL + "/internal/wish-list", key: (Self.devKey.0, "not-the-secret")))
        #expect(wrongSecret.status == 403 && wrongSecret.errorType == "InvalidSignatureException")
        let foreign = try await Self.send(stack, "/internal/wish-list", headers: try Self.signedHeaders(
            "GET", stack.baseURL + "/internal/wish-list", key: ("AKIAOTHERKEY00000001", Self.devKey.1)))
        #expect(foreign.status == 403 && foreign.body == #"{"message":"The security token included in the request is invalid."}"#)
        #expect(foreign.errorType == "UnrecognizedClientException")
        let stale = try await Self.send(stack, "/internal/wish-list", headers: try Self.signedHeaders(
            "GET", stack.baseURL + "/internal/wish-list", age: 600))
        #expect(stale.status == 403 && stale.body.hasPrefix(#"{"message":"Signature expired: "#), "\(stale)")
        // A header named twice in SignedHeaders is a mismatch, not a crash of the stack.
        let doubled = signed.map { ($0.0, $0.0 == "Authorization" ? $0.1.replacing("SignedHeaders=host;", with: "SignedHeaders=host;host;") : $0.1) }
        #expect(doubled.contains { $0.1.contains("host;host;") })
        #expect(try await Self.send(stack, "/internal/wish-list?b=2&a=1", headers: doubled).errorType == "InvalidSignatureException")
        let bearer = try await Self.send(stack, "/internal/wish-list", headers: [("Authorization", "Bearer abc")])
        #expect(bearer.status == 403 && bearer.errorType == "IncompleteSignatureException")
        #expect(bearer.body.hasPrefix(#"{"message":"Authorization header requires 'Credential' parameter."#))
        await stack.stop()
    }

    static let curl: String? = ["/usr/bin/curl", "/bin/curl"].first { access($0, X_OK) == 0 }

    /// The way docs/authn-authz.md shows: `curl --aws-sigv4` with the dev keys passes; with another secret it does not.
    /// (One query parameter: Debian 12's curl 7.88 signs several in the order given, not sorted as SigV4 wants, so
    /// API Gateway and the stack both refuse it.)
    @Test(.enabled(if: curl != nil, "skipped: no curl"))
    func curlSignedRequestsPass() async throws {
        let stack = try Self.stack("template.json")
        func status(_ secret: String) async throws -> String {
            let output = try await FunctionProcess.run(Self.curl!, arguments: [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "--aws-sigv4", "aws:amz:us-east-1:execute-api",
                "--user", Self.devKey.0 + ":" + secret, stack.baseURL + "/dev/internal/wish-list?a=b%20c",
            ], deadline: 60)
            return output.lines.joined()
        }
        #expect(try await status(Self.devKey.1) == "200")
        #expect(try await status("not-the-secret") == "403")
        await stack.stop()
    }

    @Test(.enabled(if: python != nil, Comment(rawValue: PythonPeer.skipReason(module: "botocore"))))
    func httpAPIRouteAnswersForbiddenUnsignedAndPassesTheCallerAsIAM() async throws {
        let stack = try Self.stack("Tests/LocalStackTests/Templates/http-iam.json")
        let unsigned = try await Self.send(stack, "/internal/wish-list", headers: [])
        #expect(unsigned.status == 403 && unsigned.body == #"{"message":"Forbidden"}"#)
        // The handler takes only IAM callers (`require(source: .iam)`): a 200 shows the caller arrived as one.
        let signed = try await Self.send(stack, "/internal/wish-list",
                                         headers: try Self.signedHeaders("GET", stack.baseURL + "/internal/wish-list"))
        #expect(signed.status == 200, "\(signed)")
        await stack.stop()
    }
}
