import FoundationEssentials
import GatehouseTesting
import Glibc
import HTTP
import JWT
import Synchronization
import Testing
@testable import LocalStack

/// The gateway on its own, one test per row of SPEC §3's table it emulates (the rows it cannot emulate — Cognito,
/// IAM, API keys, throttling — are refusals, in LocalTemplateTests). Functions are scripted closures here, so each
/// answer and each call can be counted; the end-to-end suites run the real executables.
@Suite struct GatewayTests {
    static let template = """
        {"Resources": {
          "Rest": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "dev", "Auth": {"Authorizers": {
            "Tok": {"FunctionArn": {"Fn::GetAtt": ["TokFn", "Arn"]}, "Identity": {"Header": "Authorization"}},
            "Req": {"FunctionPayloadType": "REQUEST", "FunctionArn": {"Fn::GetAtt": ["TokFn", "Arn"]},
                    "Identity": {"Headers": ["Authorization"], "QueryStrings": ["tenant"], "ReauthorizeEvery": 60}}}}}},
          "Http": {"Type": "AWS::Serverless::HttpApi", "Properties": {"Auth": {"Authorizers": {
            "Jwt": {"JwtConfiguration": {"issuer": "http://127.0.0.1:9/idp/", "audience": ["https://api.gatehouse.dev"]}},
            "Lam": {"FunctionArn": {"Fn::GetAtt": ["SimpleFn", "Arn"]}, "EnableSimpleResponses": true,
                    "Identity": {"Headers": ["Authorization"], "ReauthorizeEvery": 0}}}}}},
          "TokFn": {"Type": "AWS::Serverless::Function", "Properties": {"FunctionName": {"Fn::Sub": "${AWS::StackName}-tok"}}},
          "SimpleFn": {"Type": "AWS::Serverless::Function", "Properties": {"FunctionName": {"Fn::Sub": "${AWS::StackName}-simple"}}},
          "AppFn": {"Type": "AWS::Serverless::Function", "Properties": {"FunctionName": {"Fn::Sub": "${AWS::StackName}-app"},
            "Events": {
              "Profile": {"Type": "Api", "Properties": {"RestApiId": {"Ref": "Rest"}, "Method": "GET", "Path": "/profile",
                                                         "Auth": {"Authorizer": "Tok"}}},
              "Other": {"Type": "Api", "Properties": {"RestApiId": {"Ref": "Rest"}, "Method": "GET", "Path": "/other",
                                                       "Auth": {"Authorizer": "Tok"}}},
              "Tenant": {"Type": "Api", "Properties": {"RestApiId": {"Ref": "Rest"}, "Method": "GET", "Path": "/tenants/{id}",
                                                        "Auth": {"Authorizer": "Req"}}},
              "Crash": {"Type": "Api", "Properties": {"RestApiId": {"Ref": "Rest"}, "Method": "GET", "Path": "/crash",
                                                       "Auth": {"Authorizer": "NONE"}}},
              "Gone": {"Type": "HttpApi", "Properties": {"ApiId": {"Ref": "Http"}, "Method": "GET", "Path": "/dev/gone",
                                                          "Auth": {"Authorizer": "NONE"}}},
              "Items": {"Type": "HttpApi", "Properties": {"ApiId": {"Ref": "Http"}, "Method": "POST", "Path": "/items",
                                                           "Auth": {"Authorizer": "Jwt", "AuthorizationScopes": ["write:wishlist"]}}},
              "Simple": {"Type": "HttpApi", "Properties": {"ApiId": {"Ref": "Http"}, "Method": "GET", "Path": "/simple",
                                                            "Auth": {"Authorizer": "Lam"}}}}}}}}
        """

    /// Every call the gateway made, by function.
    final class Calls: Sendable {
        let byFunction = Mutex<[String: Int]>([:])
        func count(_ id: String) -> Int { byFunction.withLock { $0[id, default: 0] } }
    }

    let calls = Calls()
    let counts = MetricCounts()
    let gateway: Gateway
    let idp: IdentityProvider

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/template.json"
        try Data(Self.template.utf8).write(to: URL(fileURLWithPath: path))
        idp = try IdentityProvider(issuer: "http://127.0.0.1:9/idp/", identitiesPath: Repository.identities,
                                   dataFolder: folder)
        let calls = calls
        gateway = Gateway(template: try LocalTemplate(path: path, parameters: [:]), issuer: idp.issuer,
                          jwks: idp.publicKeys, counts: counts) { function, event, _ in
            calls.byFunction.withLock { $0[function.logicalID, default: 0] += 1 }
            return Self.script(function.logicalID, event)
        }
    }

    /// The scripted functions: the authorizers answer by the token they are given, the app answers 200.
    static func script(_ function: String, _ event: [UInt8]) -> InvocationOutcome? {
        let text = String(decoding: event, as: UTF8.self)
        func policy(_ effect: String, _ resource: String) -> InvocationOutcome {
            .response(Array(#"{"principalId":"ada","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"\#(effect)","Resource":"\#(resource)"}]},"context":{"tenant":"acme"}}"#.utf8))
        }
        switch function {
        case "TokFn":
            if text.contains("Bearer allow") { return policy("Allow", "arn:aws:execute-api:*:*:*/dev/GET/*") }
            if text.contains("Bearer deny") { return policy("Deny", "arn:aws:execute-api:*:*:*/dev/*") }
            if text.contains("Bearer elsewhere") { return policy("Allow", "arn:aws:execute-api:*:*:*/dev/GET/other") }
            if text.contains("Bearer unauthorized") { return .error(FunctionError(type: "Unauthorized", message: "Unauthorized")) }
            if text.contains("Bearer other") { return .error(FunctionError(type: "Error", message: "unauthorized!")) }
            if text.contains("Bearer garbage") { return .response(Array("not a policy".utf8)) }
            if text.contains("Bearer slow") { return .timedOut }
            return nil  // crashed
        case "SimpleFn":
            if text.contains("Bearer yes") { return .response(Array(#"{"isAuthorized":true,"context":{"k":"v"}}"#.utf8)) }
            if text.contains("Bearer no") { return .response(Array(#"{"isAuthorized":false}"#.utf8)) }
            return nil
        default:
            if text.contains("/gone") { return .response(Array(#"{"statusCode":404,"body":"{\"message\":\"no such item\"}"}"#.utf8)) }
            return text.contains("/crash") ? nil : .response(Array(#"{"statusCode":200,"body":"ok"}"#.utf8))
        }
    }

    func call(_ method: String, _ path: String, authorization: String? = nil, query: [String: [String]] = [:])
        async -> (Int, String, [String: String])
    {
        let request = HTTPRequest(method: method, path: path, headers: authorization.map { [("Authorization", $0)] } ?? [],
                                  query: query, requestID: "r-\(UInt32.random(in: 0...UInt32.max))")
        var response = await gateway.respond(to: request)
        // Every answer carries the request id, under the name its API type uses (checked here, then set aside).
        let ids = [response.headers.removeValue(forKey: "x-amzn-requestid"), response.headers.removeValue(forKey: "apigw-requestid")]
        #expect(ids.compactMap { $0 } == [request.requestID], "\(method) \(path)")
        return (response.status.rawValue, String(decoding: response.body, as: UTF8.self), response.headers)
    }

    func token(client: String, secret: String) async throws -> String {
        let answer = try #require(await idp.respond(to: HTTPRequest(
            method: "POST", path: "/idp/oauth/token", headers: [("content-type", "application/json")],
            body: Array(#"{"grant_type":"client_credentials","client_id":"\#(client)","client_secret":"\#(secret)"}"#.utf8))))
        struct Issued: Decodable { var access_token: String }
        return try JSONDecoder().decode(Issued.self, from: Data(answer.body)).access_token
    }

    @Test func identitySourceMissingIs401WithoutCallingTheAuthorizer() async {
        #expect(await call("GET", "/profile").0 == 401)
        #expect(await call("GET", "/profile", authorization: "").1 == #"{"message":"Unauthorized"}"#)
        #expect(await call("GET", "/tenants/acme", authorization: "Bearer allow").0 == 401)  // no ?tenant=
        #expect(calls.count("TokFn") == 0)
    }

    @Test func jwtAuthorizerAnswers() async throws {
        let bad = await call("POST", "/items", authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln")
        #expect(bad.0 == 401 && bad.1 == #"{"message":"Unauthorized"}"#)
        #expect(bad.2["www-authenticate"]?.hasPrefix(#"Bearer scope="" error="invalid_token" error_description=""#) == true)
        let reader = try await token(client: "reader-service", secret: "reader-service-secret")
        let refused = await call("POST", "/items", authorization: "Bearer " + reader)
        #expect(refused.0 == 403 && refused.1 == #"{"message":"Forbidden"}"#)
        #expect(refused.2["www-authenticate"]?.contains(#"error="insufficient_scope""#) == true)
        let writer = try await token(client: "dev-service", secret: "dev-service-secret")
        #expect(await call("POST", "/items", authorization: writer).0 == 200)  // without "Bearer " too
        #expect(calls.count("AppFn") == 1)
        // The gateway's own decisions are counted (layer gateway), for the console.
        let counted = String(decoding: counts.json, as: UTF8.self)
        for reason in ["invalid token", "missing scope", "valid token"] {
            #expect(counted.contains(#""Layer":"gateway","Reason":"\#(reason)","Route":"POST /items""#))
        }
    }

    @Test func lambdaAuthorizerAnswers() async {
        #expect(await call("GET", "/profile", authorization: "Bearer unauthorized") == (401, #"{"message":"Unauthorized"}"#, [
            "content-type": "application/json", "x-amzn-errortype": "UnauthorizedException"]))
        let denied = await call("GET", "/profile", authorization: "Bearer deny")
        #expect(denied.1 == #"{"message":"User is not authorized to access this resource with an explicit deny"}"#)
        #expect(denied.2["x-amzn-errortype"] == "AccessDeniedException")
        #expect(await call("GET", "/profile", authorization: "Bearer elsewhere").1
                == #"{"message":"User is not authorized to access this resource"}"#)
        #expect(await call("GET", "/simple", authorization: "Bearer no") == (403, #"{"message":"Forbidden"}"#, ["content-type": "application/json"]))
        #expect(await call("GET", "/simple", authorization: "Bearer yes").0 == 200)
        #expect(calls.count("AppFn") == 1)
    }

    @Test(arguments: ["Bearer crash", "Bearer garbage", "Bearer other", "Bearer slow"])
    func aFailingAuthorizerIsAnswered500AsEachAPIDoes(token: String) async {
        let rest = await call("GET", "/profile", authorization: token)
        #expect(rest.0 == 500 && rest.1 == #"{"message":null}"#)
        #expect(rest.2["x-amzn-errortype"] == "AuthorizerConfigurationException")
        let http = await call("GET", "/simple", authorization: token)
        #expect(http.0 == 500 && http.1 == #"{"message":"Internal Server Error"}"#)
    }

    @Test func answersAreCachedUnderExactlyTheIdentitySourcesAndEvaluatedPerRoute() async {
        #expect(await call("GET", "/profile", authorization: "Bearer elsewhere").0 == 403)
        #expect(await call("GET", "/other", authorization: "Bearer elsewhere").0 == 200)  // the cached policy allows it
        #expect(calls.count("TokFn") == 1)
        #expect(await call("GET", "/tenants/acme", authorization: "Bearer allow", query: ["tenant": ["acme"]]).0 == 200)
        #expect(await call("GET", "/tenants/acme", authorization: "Bearer allow", query: ["tenant": ["acme"]]).0 == 200)
        #expect(await call("GET", "/tenants/acme", authorization: "Bearer allow", query: ["tenant": ["globex"]]).0 == 200)
        #expect(calls.count("TokFn") == 3)  // one call per distinct identity-source values
    }

    @Test func routingAnswers() async {
        #expect(await call("GET", "/profile", authorization: "Bearer allow").0 == 200)
        #expect(await call("GET", "/dev/profile", authorization: "Bearer allow").0 == 200)  // the stage prefix
        #expect(await call("POST", "/profile") == (403, #"{"message":"Missing Authentication Token"}"#, [
            "content-type": "application/json", "x-amzn-errortype": "MissingAuthenticationTokenException"]))
        #expect(await call("GET", "/dev/nothing").1 == #"{"message":"Missing Authentication Token"}"#)
        #expect(await call("GET", "/nothing") == (404, #"{"message":"Not Found"}"#, ["content-type": "application/json"]))
        #expect(await call("DELETE", "/simple").0 == 404)  // an HTTP API has no 405 and no 403 here
        #expect(await call("GET", "/crash") == (502, #"{"message":"Internal Server Error"}"#, [
            "content-type": "application/json", "x-amzn-errortype": "InternalServerErrorException"]))
        // A function's own 404 passes through, and an HTTP API path under /dev/ is the HTTP API's.
        #expect(await call("GET", "/dev/gone") == (404, #"{"message":"no such item"}"#, [:]))
    }
}

/// A function's proxy response as the gateway reads it: members of the wrong type make it malformed (502), `null`
/// reads as absent, cookies from every form are gathered.
@Suite struct ProxyResponseReadingTests {
    @Test(arguments: [
        #"{"statusCode":"200"}"#, #"{"statusCode":200.5}"#, #"{"statusCode":99}"#, #"{"statusCode":200,"headers":{"a":1}}"#,
        #"{"statusCode":200,"multiValueHeaders":{"a":"b"}}"#, #"{"statusCode":200,"cookies":["a",2]}"#,
        #"{"statusCode":200,"body":{}}"#, #"{"statusCode":200,"isBase64Encoded":"yes"}"#,
        #"{"statusCode":200,"body":"%%%","isBase64Encoded":true}"#, "not json",
    ])
    func malformedResponsesAreRefused(document: String) {
        #expect(GatewayEvents.response(Array(document.utf8)) == nil)
    }

    @Test func membersAndNullsAreRead() throws {
        let document = #"{"statusCode":201,"headers":{"x":"1","set-cookie":"a=1"},"multiValueHeaders":{"y":["2","3"],"Set-Cookie":["b=2"]},"cookies":null,"body":"aGk=","isBase64Encoded":true}"#
        let response = try #require(GatewayEvents.response(Array(document.utf8)))
        #expect(response.status.rawValue == 201 && response.body == Array("hi".utf8))
        #expect(response.headers == ["x": "1", "y": "2,3"])
        #expect(Set(response.cookies) == ["a=1", "b=2"])
        // Cookies keep the function's order (each once), the same on every run.
        let ordered = #"{"statusCode":200,"cookies":["z=1","a=2","m=3","a=2","b=4"]}"#
        #expect(try #require(GatewayEvents.response(Array(ordered.utf8))).cookies == ["z=1", "a=2", "m=3", "b=4"])
    }
}
