import GatehouseTesting
import FoundationEssentials
import Testing
@testable import LocalStack
import HTTP
import Runtime
import Synchronization

/// The template as the local stack reads it: every route's authorizer understood exactly, or a refusal naming the
/// route and the property — never a route open here that is protected on AWS.
@Suite struct LocalTemplateTests {
    static let root = Repository.root

    /// A REST API with `authorizers`, and one `GET /me` route whose `Auth` is `routeAuth`.
    static func template(authorizers: String = "{}", apiExtra: String = "", routeAuth: String) throws -> String {
        let text = """
            {"Resources": {
              "Api": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "dev", \(apiExtra)
                "Auth": {"Authorizers": \(authorizers)}}},
              "MeFunction": {"Type": "AWS::Serverless::Function", "Properties": {
                "FunctionName": {"Fn::Sub": "${AWS::StackName}-profile"},
                "Events": {"Me": {"Type": "Api", "Properties": {"RestApiId": {"Ref": "Api"}, "Method": "get",
                                  "Path": "/me", "Auth": \(routeAuth)}}}}}}}
            """
        let path = "/tmp/gatehouse-template-\(UInt64.random(in: 0...UInt64.max)).json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func refusal(_ path: String) -> String? {
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try LocalTemplate(path: path, parameters: [:])
            return nil
        } catch {
            return (error as? TemplateRefusal)?.description
        }
    }

    @Test func aMissingTemplateIsOneLineNamingIt() throws {
        let missing = "no-such-folder/template.json"
        #expect(throws: (any Error).self) { try LocalTemplate(path: missing, parameters: [:]) }
        do {
            _ = try LocalTemplate(path: missing, parameters: [:])
        } catch {
            let line = "\(error)"
            #expect(line.hasPrefix("no-such-folder/template.json does not exist (looked for in \(currentDirectory())):"))
            #expect(currentDirectory().hasPrefix("/") && !currentDirectory().hasSuffix("/"))
            #expect(line.hasSuffix("run gatehouse from the project's root") && !line.contains("\n"))
        }
    }

    /// A hand-edited template that is not JSON is one line with where it stops being JSON, not a decoder's dump.
    @Test(arguments: [
        ("{\n  \"a\": [1,\n  2,,\n]}", "3:5: not JSON: expected a value"),
        ("{\"Resources\": {\"x\": \"abc}}", "1:21: not JSON: a string that never ends"),
        ("{\n  \"Resources\": {\n    \"x\": 1\n  ", "4:3: not JSON: expected , or }, found the end"),
        ("{\"a\": 1} x", "1:10: not JSON: text after the document"),
        ("{\"a\": tru}", "1:7: not JSON: expected a value"),
        ("{\"a\" 1}", "1:6: not JSON: expected : after the member name"),
    ])
    func textThatIsNotJSONSaysWhere(text: String, expected: String) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: (any Error).self) { try LocalTemplate(path: path, parameters: [:]) }
        do { _ = try LocalTemplate(path: path, parameters: [:]) } catch { #expect("\(error)" == path + ":" + expected) }
    }

    /// A function the stack cannot tell the app of is refused, not skipped (its routes would answer 404 here).
    @Test(arguments: [#""FunctionName": "profile","#, #""FunctionName": {"Fn::Sub": "profile-${AWS::StackName}"},"#,
                      #""FunctionName": {"Fn::Sub": "${AWS::StackName}-"},"#, ""])
    func aFunctionWithoutAnAppNameIsRefused(name: String) throws {
        let text = """
            {"Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {\(name) "Handler": "bootstrap"}}}}
            """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fn-\(UUID().uuidString).json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let refusal = try #require(Self.refusal(path))
        #expect(refusal.hasPrefix(#"function Fn: its FunctionName must be {"Fn::Sub": "${AWS::StackName}-APP"}"#))
    }

    @Test func theProjectTemplateIsUnderstoodExactly() throws {
        let template = try LocalTemplate(path: Self.root + "/template.json", parameters: ["JwtIssuer": "iss", "JwtAudience": "aud"])
        func authorizer(_ name: String) -> LocalTemplate.Authorizer? { template.routes.first { $0.name == name }?.authorizer }
        #expect(authorizer("GET /wish-list") == LocalTemplate.Authorizer.none)
        #expect(authorizer("POST /wish-list") == .jwt(issuer: "iss", audiences: ["aud"]))
        #expect(authorizer("GET /internal/wish-list") == .iam)
        #expect(authorizer("GET /me") == .cognito(header: "Authorization"))
        #expect(authorizer("GET /profile") == .token(function: "TokenAuthorizerFunction", header: "Authorization", ttl: 300))
        #expect(authorizer("GET /tenants/{tenantId}/wish-list")
                == .request(function: "RequestAuthorizerFunction", sources: [.header("Authorization"), .context("path")], ttl: 300))
        // The DPoP authorizer decides every request (no identity sources, no cache); its API answers its refusals 401.
        #expect(authorizer("GET /dpop/whoami") == .request(function: "DPoPAuthorizerFunction", sources: [], ttl: 0))
        let dpop = try #require(template.routes.first { $0.name == "GET /dpop/whoami" })
        #expect(dpop.gatewayResponses[.unauthorized]?.headers == ["WWW-Authenticate": #"DPoP error="invalid_token""#])
        #expect(dpop.gatewayResponses[.accessDenied]?.status == .unauthorized)
        #expect(template.routes.first { $0.name == "GET /profile" }?.gatewayResponses.isEmpty == true)
    }

    @Test(arguments: [
        (#"{"Pool": {"UserPoolArn": "arn:aws:cognito-idp:us-east-1:1:userpool/x", "Identity": {"ReauthorizeEvery": 60}}}"#, "",
         #"{"Authorizer": "Pool"}"#, "GET /me: Authorizer Pool: Identity.ReauthorizeEvery cannot be emulated locally"),
        ("{}", "", #"{"Authorizer": "NONE", "AuthorizationScopes": ["a"]}"#, "GET /me: Auth.AuthorizationScopes cannot be emulated locally"),
        ("{}", "", #"{"Authorizer": "Missing"}"#, "GET /me: Authorizer Missing is not defined on its API"),
        ("{}", "", #"{"Authorizer": "NONE", "InvokeRole": "CALLER_CREDENTIALS"}"#, "GET /me: Auth.InvokeRole cannot be emulated locally"),
        (#"{"T": {"FunctionArn": "f", "Identity": {"Header": "Authorization", "ValidationExpression": "^Bearer"}}}"#, "",
         #"{"Authorizer": "T"}"#, "GET /me: Authorizer T: Identity.ValidationExpression cannot be emulated locally"),
        ("{}", #""BinaryMediaTypes": ["image/png"],"#, #"{"Authorizer": "NONE"}"#,
         "GET /me: its API sets BinaryMediaTypes, which the local stack does not emulate"),
        ("{}", #""Cors": "'*'","#, #"{"Authorizer": "NONE"}"#, "GET /me: its API sets Cors, which the local stack does not emulate"),
        ("{}", #""MethodSettings": [{"CachingEnabled": true}],"#, #"{"Authorizer": "NONE"}"#,
         "GET /me: its API's MethodSettings.CachingEnabled cannot be emulated locally"),
        // An API's settings of another shape than SAM takes: a throttle left out, or stage variables, would differ.
        ("{}", #""MethodSettings": [{"ThrottlingRateLimit": "fast"}],"#, #"{"Authorizer": "NONE"}"#,
         "GET /me: its API's MethodSettings.ThrottlingRateLimit must be a number, as SAM requires"),
        ("{}", #""MethodSettings": {"ThrottlingRateLimit": 10},"#, #"{"Authorizer": "NONE"}"#,
         "GET /me: its API's MethodSettings must be a list of objects, as SAM requires"),
        ("{}", #""Variables": ["pool=blue"],"#, #"{"Authorizer": "NONE"}"#,
         "GET /me: its API's Variables must be an object, as SAM requires"),
        ("{}", #""ApiKeySourceType": "AUTHORIZER","#, #"{"Authorizer": "NONE"}"#,
         "GET /me: its API's ApiKeySourceType AUTHORIZER cannot be emulated locally (only HEADER)"),
        // An authorizer named by anything but a string is refused as SAM refuses it, never read as "no authorizer".
        ("{}", "", #"{"Authorizer": {"Ref": "GatehouseJwt"}}"#, Self.notAString),
        ("{}", "", #"{"Authorizer": null}"#, Self.notAString),
        ("{}", "", #"{"Authorizer": ["A"]}"#, Self.notAString),
        ("{}", "", #"{"Authorizer": 1}"#, Self.notAString),
        ("{}", "", #""NONE""#, "GET /me: Auth must be an object, as SAM requires"),
        // Misshapen properties that, read as absent, would leave the route open here and protected on AWS.
        (#"{"Pool": {"UserPoolArn": "arn:aws:cognito-idp:us-east-1:1:userpool/x"}}"#, "",
         #"{"Authorizer": "Pool", "AuthorizationScopes": "read:profile"}"#,
         "GET /me: Auth.AuthorizationScopes must be a list of strings, as SAM requires"),
        ("{}", "", #"{"Authorizer": "NONE", "ApiKeyRequired": "yes"}"#,
         "GET /me: Auth.ApiKeyRequired must be a boolean, as SAM requires"),
        (#"{"R": {"FunctionArn": "f", "FunctionPayloadType": "REQUEST", "Identity": {"Headers": "X-Key"}}}"#, "",
         #"{"Authorizer": "R"}"#, "GET /me: Authorizer R: Identity.Headers must be a list of strings, as SAM requires"),
        (#"{"T": {"FunctionArn": "f", "Identity": "Authorization"}}"#, "", #"{"Authorizer": "T"}"#,
         "GET /me: Authorizer T: Identity must be an object, as SAM requires"),
        (#"{"T": {"FunctionArn": "f", "Identity": {"ReauthorizeEvery": "often"}}}"#, "", #"{"Authorizer": "T"}"#,
         "GET /me: Authorizer T: Identity.ReauthorizeEvery must be a whole number, as SAM requires"),
        // Gateway responses: the two an authorizer causes, with static values only.
        ("{}", #""GatewayResponses": {"THROTTLED": {"StatusCode": 400}},"#, #"{"Authorizer": "NONE"}"#,
         "GET /me: its API Api: GatewayResponses.THROTTLED cannot be emulated locally (only UNAUTHORIZED, ACCESS_DENIED)"),
        ("{}", #""GatewayResponses": {"UNAUTHORIZED": {"ResponseParameters": {"Headers": {"X": "method.request.header.Y"}}}},"#,
         #"{"Authorizer": "NONE"}"#,
         "GET /me: its API Api: GatewayResponses.UNAUTHORIZED header X must be a static value ('…') to be emulated locally"),
        ("{}", #""GatewayResponses": {"ACCESS_DENIED": {"ResponseTemplates": {"application/json": "{\"m\": $context.error.messageString}"}}},"#,
         #"{"Authorizer": "NONE"}"#,
         "GET /me: its API Api: GatewayResponses.ACCESS_DENIED.ResponseTemplates must be a JSON object without variables to be emulated locally"),
    ])
    func featuresItCannotEmulateAreRefused(authorizers: String, apiExtra: String, routeAuth: String, expected: String) throws {
        let refusal = Self.refusal(try Self.template(authorizers: authorizers, apiExtra: apiExtra, routeAuth: routeAuth))
        #expect(refusal == expected + "; the local stack refuses to start rather than answer differently from AWS")
    }

    /// A function property of another shape than SAM takes refuses the function: read as absent, its routes (`Events`)
    /// or its settings would quietly differ from AWS's.
    @Test(arguments: [
        (#""Events": [{"Type": "Api"}]"#, "Properties.Events must be an object, as SAM requires"),
        (#""Events": {"E": {"Type": ["Api"]}}"#, "Properties.Events.E.Type must be a string, as SAM requires"),
        (#""Events": {"E": {"Properties": {}}}"#, "event E has no Type"),
        (#""Environment": {"Variables": ["TABLE=items"]}"#,
         "Properties.Environment.Variables must be an object, as SAM requires"),
        (#""Timeout": "soon""#, "Properties.Timeout must be a whole number, as SAM requires"),
    ])
    func misshapenFunctionPropertiesAreRefused(property: String, expected: String) throws {
        let path = "/tmp/gatehouse-template-\(UInt64.random(in: 0...UInt64.max)).json"
        let text = #"{"Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {"#
            + #""FunctionName": {"Fn::Sub": "${AWS::StackName}-profile"}, "# + property + "}}}}"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect(Self.refusal(path) == "function Fn: " + expected
                + "; the local stack refuses to start rather than answer differently from AWS")
    }

    /// An HTTP API event without Path and Method is the `$default` route (every unmatched request): refused, never
    /// left out (a 404 here for what the function answers on AWS); a queue's event makes no route and is no refusal.
    @Test func theDefaultRouteIsRefusedOtherEventSourcesAreNot() throws {
        func template(_ events: String) throws -> String {
            let path = "/tmp/gatehouse-template-\(UInt64.random(in: 0...UInt64.max)).json"
            try Data(("""
                {"Resources": {"F": {"Type": "AWS::Serverless::Function", "Properties": {
                  "FunctionName": {"Fn::Sub": "${AWS::StackName}-profile"}, "Events": \(events)}}}}
                """).utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        #expect(Self.refusal(try template(#"{"All": {"Type": "HttpApi"}}"#))?
            .hasPrefix("function F: event All has no Path and Method (the API's $default route)") == true)
        let queue = try LocalTemplate(path: try template(#"{"Q": {"Type": "SQS", "Properties": {"Queue": "arn"}}}"#), parameters: [:])
        #expect(queue.routes.isEmpty && queue.functions["F"] != nil)
    }

    /// A user pool client's managed-login settings the dev pool cannot honour stop the stack, one line each.
    @Test(arguments: [
        (#""RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 90}"#,
         "Client: RefreshTokenRotation.RetryGracePeriodSeconds must be 0 to 60, as Cognito requires"),
        (#""AllowedOAuthFlows": ["implicit"]"#, "Client: AllowedOAuthFlows implicit cannot be emulated locally (only code)"),
        (#""SupportedIdentityProviders": ["Google"]"#,
         "Client: SupportedIdentityProviders Google cannot be emulated locally (only COGNITO)"),
    ])
    func userPoolClientSettingsItCannotHonourAreRefused(property: String, expected: String) throws {
        let path = "/tmp/gatehouse-template-\(UInt64.random(in: 0...UInt64.max)).json"
        let text = #"{"Resources": {"Client": {"Type": "AWS::Cognito::UserPoolClient", "Properties": {"ClientName": "web", "#
            + property + "}}}}"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect(Self.refusal(path) == expected + "; the local stack refuses to start rather than answer differently from AWS")
    }

    static let notAString = "GET /me: Auth.Authorizer must be a string (an authorizer's name, NONE or AWS_IAM), as SAM requires"

    /// A default authorizer that is not a string refuses the API's routes (they would be open otherwise).
    @Test(arguments: [#"{"Ref": "A"}"#, "null", "[]", "true"])
    func aDefaultAuthorizerThatIsNotAStringIsRefused(value: String) throws {
        let path = "/tmp/gatehouse-template-\(UInt64.random(in: 0...UInt64.max)).json"
        try Data("""
            {"Resources": {"Api": {"Type": "AWS::Serverless::HttpApi", "Properties": {"Auth": {"DefaultAuthorizer": \(value)}}},
              "F": {"Type": "AWS::Serverless::Function", "Properties": {"FunctionName": {"Fn::Sub": "${AWS::StackName}-profile"},
                "Events": {"E": {"Type": "HttpApi", "Properties": {"ApiId": {"Ref": "Api"}, "Method": "GET", "Path": "/me"}}}}}}}
            """.utf8).write(to: URL(fileURLWithPath: path))
        #expect(Self.refusal(path)?.hasPrefix("GET /me: its API's Auth.DefaultAuthorizer must be a string, as SAM requires") == true)
    }

    /// `AWS_IAM` is emulated on REST APIs, and on an HTTP API only where SAM accepts it (`EnableIamAuthorizer`).
    @Test func iamAuthorization() throws {
        let path = try Self.template(routeAuth: #"{"Authorizer": "AWS_IAM"}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try LocalTemplate(path: path, parameters: [:]).routes.map(\.authorizer) == [.iam])
        for (api, expected) in [(#"{}"#, false), (#"{"Auth": {"EnableIamAuthorizer": true}}"#, true)] {
            let http = "/tmp/gatehouse-template-\(UInt64.random(in: 0...UInt64.max)).json"
            try Data("""
                {"Resources": {"Api": {"Type": "AWS::Serverless::HttpApi", "Properties": \(api)},
                  "F": {"Type": "AWS::Serverless::Function", "Properties": {"FunctionName": {"Fn::Sub": "${AWS::StackName}-profile"},
                    "Events": {"E": {"Type": "HttpApi", "Properties": {"ApiId": {"Ref": "Api"}, "Method": "GET",
                      "Path": "/me", "Auth": {"Authorizer": "AWS_IAM"}}}}}}}}
                """.utf8).write(to: URL(fileURLWithPath: http))
            let refusal = Self.refusal(http)
            #expect((refusal == nil) == expected)
            if !expected { #expect(refusal?.hasPrefix("GET /me: Authorizer AWS_IAM needs Auth.EnableIamAuthorizer") == true) }
        }
    }

    @Test func identitySourcesOfEveryKindTheStackKnows() throws {
        let path = try Self.template(
            authorizers: #"{"R": {"FunctionArn": "f", "FunctionPayloadType": "REQUEST", "Identity": {"Headers": ["X-Key"], "QueryStrings": ["tenant"], "Context": ["httpMethod"], "StageVariables": ["pool"], "ReauthorizeEvery": 60}}}"#,
            apiExtra: #""Variables": {"pool": "blue"},"#, routeAuth: #"{"Authorizer": "R"}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let template = try LocalTemplate(path: path, parameters: [:])
        #expect(template.routes.map(\.authorizer) == [.request(function: "f", sources: [
            .header("X-Key"), .query("tenant"), .context("httpMethod"), .stageVariable("pool")], ttl: 60)])
        #expect(template.routes.first?.stageVariables == ["pool": "blue"])
        let route = try #require(template.routes.first)
        #expect(GatewayEvents.value(of: .stageVariable("pool"), HTTPRequest(method: "GET", path: "/me"), route: route) == "blue")
    }
}

/// The local stack prints a function's EMF lines readably and every other line as it is.
@Suite struct MetricLineTests {
    @Test func emfLinesReadAsOneLineAndAreCounted() throws {
        let line = #"{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"Gatehouse","Dimensions":[["Service","Route"]],"Metrics":[{"Name":"Requests","Unit":"Count"},{"Name":"Latency","Unit":"Milliseconds"}]}]},"Service":"wish-list","Route":"GET /wish-list","Requests":1,"Latency":0.5}"#
        let record = try #require(MetricRecord.records(in: line).first)
        #expect(record.description == "metric Service=wish-list Route=GET /wish-list Requests=1 Latency=0.5ms")
        #expect(MetricRecord.records(in: #"{"level":"INFO","message":"hello"}"#).isEmpty)
        #expect(MetricRecord.records(in: line + " trailing").isEmpty && MetricRecord.records(in: #"{"_aws":{"Timestamp":1}}"#).isEmpty)
        let sparse = #"{"_aws":{"CloudWatchMetrics":[{"Dimensions":[["Service"],["Other"]],"Metrics":[{"Name":"Hits","Unit":"Count"},7]},{"Dimensions":[["Ignored"]]}]},"Hits":"not a number"}"#
        #expect(MetricRecord.records(in: sparse).map(\.description) == ["metric Service= Hits=0", "metric Ignored="])
        let counts = MetricCounts()
        counts.add(record)
        counts.add(record)
        #expect(String(decoding: counts.json, as: UTF8.self)
                == #"{"counts":[{"dimensions":{"Route":"GET /wish-list","Service":"wish-list"},"metrics":{"Requests":2}}]}"#)
    }

    /// A request to a protected route and its decision come as one line with two directives: two records.
    @Test func oneLineMayHoldARequestAndItsDecision() throws {
        let written = Mutex<[String]>([])
        let metrics = MetricsLogger(sink: { line in written.withLock { $0.append(line) } })
        let requests = metrics.directive(metrics: [("Requests", .count)], dimensions: ["Service", "Route"])
        let decisions = metrics.directive(metrics: [("AuthorizationDecisions", .count)], dimensions: ["Service", "Decision"])
        metrics.emit([(requests, [1], ["notes", "GET /notes"]), (decisions, [1], ["notes", "allow"])],
                     properties: ["requestId": "r1"], at: 5)
        let lines = written.withLock { $0 }
        #expect(lines == [#"{"_aws":{"Timestamp":5,"CloudWatchMetrics":[{"Namespace":"Gatehouse","Dimensions":[["Service","Route"]],"Metrics":[{"Name":"Requests","Unit":"Count"}]},{"Namespace":"Gatehouse","Dimensions":[["Service","Decision"]],"Metrics":[{"Name":"AuthorizationDecisions","Unit":"Count"}]}]},"Service":"notes","Route":"GET /notes","Requests":1,"Decision":"allow","AuthorizationDecisions":1,"requestId":"r1"}"#])
        #expect(MetricRecord.records(in: lines[0]).map(\.description)
                == ["metric Service=notes Route=GET /notes Requests=1", "metric Service=notes Decision=allow AuthorizationDecisions=1"])
    }
}
