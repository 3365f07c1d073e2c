import FoundationEssentials
import GatehouseTesting
import HTTP
import JWT
import Testing
@testable import LocalStack

/// An HTTP API's `CorsConfiguration` as API Gateway applies it: preflights answered by the gateway (204, any path
/// of the API), its headers on every answer to an allowed origin — refusals included — in place of the function's.
@Suite struct CORSTests {
    static let template = #"""
        {"Parameters": {"JwtIssuer": {"Type": "String", "Default": "http://127.0.0.1:9/idp/"}},
         "Resources": {
          "Http": {"Type": "AWS::Serverless::HttpApi", "Properties": {
            "CorsConfiguration": {"AllowOrigins": ["https://app.example"], "AllowMethods": ["GET", "POST"],
                                  "AllowHeaders": ["authorization"], "ExposeHeaders": ["x-total"], "MaxAge": 600,
                                  "AllowCredentials": true},
            "Auth": {"Authorizers": {"Jwt": {"JwtConfiguration": {"issuer": {"Ref": "JwtIssuer"}, "audience": ["a"]}}}}}},
          "AppFn": {"Type": "AWS::Serverless::Function", "Properties": {"FunctionName": {"Fn::Sub": "${AWS::StackName}-app"},
            "Events": {
              "Open": {"Type": "HttpApi", "Properties": {"ApiId": {"Ref": "Http"}, "Method": "GET", "Path": "/open"}},
              "Items": {"Type": "HttpApi", "Properties": {"ApiId": {"Ref": "Http"}, "Method": "POST", "Path": "/items",
                                                          "Auth": {"Authorizer": "Jwt"}}}}}}}}
        """#

    let gateway: Gateway

    init() throws {
        let path = "/tmp/gatehouse-cors-\(UInt64.random(in: 0...UInt64.max)).json"
        try Data(Self.template.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        gateway = Gateway(template: try LocalTemplate(path: path, parameters: [:]), issuer: "http://127.0.0.1:9/idp/",
                          jwks: JWKSet(keys: [])) { _, _, _ in
            // The function's own CORS header, which the gateway replaces.
            .response(Array(#"{"statusCode":200,"headers":{"access-control-allow-origin":"*"},"body":"ok"}"#.utf8))
        }
    }

    func call(_ method: String, _ path: String, _ headers: [(name: String, value: String)]) async -> HTTPResponse {
        await gateway.respond(to: HTTPRequest(method: method, path: path, headers: headers, requestID: "r-1"))
    }

    @Test func preflightsAreTheGatewaysAnswer() async {
        let allowed = await call("OPTIONS", "/items", [("Origin", "https://app.example"), ("Access-Control-Request-Method", "POST")])
        #expect(allowed.status.rawValue == 204 && allowed.body.isEmpty)
        #expect(allowed.headers == ["access-control-allow-origin": "https://app.example", "access-control-allow-methods": "GET,POST",
                                    "access-control-allow-headers": "authorization", "access-control-max-age": "600",
                                    "access-control-allow-credentials": "true", "apigw-requestid": "r-1", "vary": "Origin"])
        let stranger = await call("OPTIONS", "/items", [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST")])
        #expect(stranger.status.rawValue == 204 && stranger.headers == ["apigw-requestid": "r-1"])
        // Any path of the API, route or not; an OPTIONS without the preflight headers is an ordinary request.
        #expect(await call("OPTIONS", "/nowhere", [("Origin", "https://app.example"), ("Access-Control-Request-Method", "GET")])
                    .status.rawValue == 204)
        #expect(await call("OPTIONS", "/items", [("Origin", "https://app.example")]).status.rawValue == 404)
    }

    @Test func answersCarryTheConfiguredHeadersOnly() async {
        let origin = [("Origin", "https://app.example")]
        let open = await call("GET", "/open", origin)
        #expect(open.status == .ok && open.headers["access-control-allow-origin"] == "https://app.example")
        #expect(open.headers["access-control-expose-headers"] == "x-total" && open.headers["access-control-allow-credentials"] == "true")
        #expect(open.headers["vary"] == "Origin")
        let refused = await call("POST", "/items", origin)  // the JWT authorizer's 401 gets them too
        #expect(refused.status == .unauthorized && refused.headers["access-control-allow-origin"] == "https://app.example")
        #expect(refused.headers["vary"] == "Origin")
        let stranger = await call("GET", "/open", [("Origin", "https://evil.example")])
        #expect(stranger.status == .ok && stranger.headers["access-control-allow-origin"] == nil)  // nor the function's "*"
    }

    /// Credentials with every origin would reflect any origin (`null` too) with credentials: API Gateway refuses to
    /// deploy it, and so does the stack, naming the API; `*` without credentials stays `*`, with no `Vary`.
    @Test func credentialsWithEveryOriginAreRefused() async throws {
        let path = "/tmp/gatehouse-cors-\(UInt64.random(in: 0...UInt64.max)).json"
        let wildcard = Self.template.replacing(#"["https://app.example"]"#, with: #"["*"]"#)
        try Data(wildcard.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try LocalTemplate(path: path, parameters: [:])
            Issue.record("a template API Gateway refuses was accepted")
        } catch {
            let line = "\(error)"
            #expect(line.contains("its API Http: CorsConfiguration sets AllowCredentials with AllowOrigins *") && !line.contains("\n"))
        }
        let open = wildcard.replacing(#""AllowCredentials": true"#, with: #""AllowCredentials": false"#)
        try Data(open.utf8).write(to: URL(fileURLWithPath: path))
        let gateway = Gateway(template: try LocalTemplate(path: path, parameters: [:]), issuer: "http://127.0.0.1:9/idp/",
                              jwks: JWKSet(keys: [])) { _, _, _ in .response(Array(#"{"statusCode":200,"body":"ok"}"#.utf8)) }
        let answer = await gateway.respond(to: HTTPRequest(method: "GET", path: "/open", headers: [("Origin", "null")], requestID: "r"))
        #expect(answer.headers["access-control-allow-origin"] == "*" && answer.headers["vary"] == nil)
        #expect(answer.headers["access-control-allow-credentials"] == nil)
    }
}
