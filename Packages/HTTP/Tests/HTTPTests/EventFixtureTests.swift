import FoundationEssentials
import GatehouseTesting
import JWT
import Testing
@testable import HTTP
import Policy

/// Every API Gateway sample in Tests/Fixtures/events decodes, round-trips and yields the right request and caller;
/// the runtime's own reader (`EventMembers`, no `JSONDecoder`) reads each exactly as `Decodable` does.
@Suite struct EventFixtureTests {
    func v1(_ name: String) throws -> (APIGatewayV1Request, HTTPRequest) {
        let event = try Repository.fixture(APIGatewayV1Request.self, name)
        #expect(try roundTrip(event) == event)
        #expect(try APIGatewayV1Request(EventMembers(read(name))) == event)
        return (event, try HTTPRequest(event))
    }

    func v2(_ name: String) throws -> (APIGatewayV2Request, HTTPRequest) {
        let event = try Repository.fixture(APIGatewayV2Request.self, name)
        #expect(try roundTrip(event) == event)
        #expect(try APIGatewayV2Request(EventMembers(read(name))) == event)
        return (event, try HTTPRequest(event))
    }

    /// A fixture as the runtime reads it: only the members the request types hold.
    func read(_ name: String) throws -> [String: JSONValue] {
        try JSONValue.object(parsing: Array(Repository.fixture(name)), selecting: EventMembers.proxyRequest)
    }

    /// A member of the wrong shape is refused by name, as a `Decodable` would refuse it; `null` reads as absent.
    @Test(arguments: [
        (#"{"path":"/","httpMethod":"GET","headers":{"a":1}}"#, "headers"),
        (#"{"path":"/","httpMethod":7}"#, "httpMethod"),
        (#"{"path":"/","httpMethod":"GET","requestContext":{"identity":{"sourceIp":[]}}}"#, "requestContext.identity.sourceIp"),
        (#"{"path":"/","httpMethod":"GET","multiValueHeaders":{"a":"b"}}"#, "multiValueHeaders"),
        (#"{"httpMethod":"GET"}"#, "path"),
    ])
    func mistypedRestMembersAreNamed(event: String, member: String) throws {
        let members = EventMembers(try JSONValue.object(parsing: Array(event.utf8)))
        #expect { try APIGatewayV1Request(members) } throws: { ($0 as? EventMembers.Mismatch)?.member == member }
    }

    @Test func httpAPIEventNeedsItsMethodAndNullsReadAsAbsent() throws {
        let missing = EventMembers(try JSONValue.object(parsing: Array(#"{"version":"2.0","rawPath":"/","requestContext":{}}"#.utf8)))
        #expect { try APIGatewayV2Request(missing) } throws: { ($0 as? EventMembers.Mismatch)?.member == "requestContext.http" }
        let nulls = #"{"version":"2.0","rawPath":"/","headers":null,"cookies":null,"requestContext":{"http":{"method":"GET"},"authorizer":null}}"#
        let event = try APIGatewayV2Request(EventMembers(try JSONValue.object(parsing: Array(nulls.utf8))))
        #expect(event.headers == nil && event.cookies == nil && event.requestContext.authorizer == nil)
    }

    @Test func restProxyWithLambdaAuthorizer() throws {
        let (_, request) = try v1("apigw-v1-rest-proxy-request.json")
        #expect(request.method == "POST" && request.path == "/hello/world")
        let caller = try #require(request.caller)
        #expect(caller.subject == "admin" && caller.source == .rest)
        #expect(caller.claims["clientId"] == "1" && caller.claims["clientName"] == "Exata")
        #expect(String(decoding: request.body, as: UTF8.self).contains("\"a\": 1"))
    }

    @Test func multiValueHeadersKeepEveryValue() throws {
        let (event, request) = try v1("apigw-v1-rest-proxy-request-multivalue.json")
        #expect(event.headers?["headerName"] == "headerValue2")
        #expect(request.headers.filter { $0.name == "headerName" }.map(\.value) == ["headerValue", "headerValue2"])
        #expect((request.query.values.first { $0.count > 1 })?.count == 2)
    }

    @Test func consoleTestNullsReadAsEmpty() throws {
        let (event, request) = try v1("apigw-v1-rest-proxy-request-console-test-nulls.json")
        #expect(event.headers == nil && event.pathParameters == nil)
        #expect(request.headers.isEmpty && request.query.isEmpty && request.pathParameters.isEmpty)
        #expect(request.caller == nil)
    }

    @Test func minimalAuthorizerContextWithNumbers() throws {
        let (_, request) = try v1("apigw-v1-rest-proxy-request-lambda-authorizer-context-minimal.json")
        let caller = try #require(request.caller)
        #expect(caller.subject == "fake")
        #expect(caller.claims["user_id"] == "fake_username")
        #expect(caller.claims["integrationLatency"] == nil)
        #expect(request.body.isEmpty)
    }

    @Test func httpAPIAuthorizerShapes() throws {
        #expect(try v2("apigw-v2-http-request-no-authorizer.json").1.caller == nil)

        let jwt = try #require(try v2("apigw-v2-http-request-jwt-authorizer.json").1.caller)
        #expect(jwt.source == .jwt && jwt.has("scope1") && jwt.has("scope2") && !jwt.has("scope3"))
        #expect(jwt.claims["claim1"] == "value1")

        let lambda = try #require(try v2("apigw-v2-http-request-lambda-authorizer.json").1.caller)
        #expect(lambda.source == .lambda && lambda.claims["key"] == "value" && lambda.scopes.scopes.isEmpty)

        let iam = try #require(try v2("apigw-v2-http-request-iam-authorizer.json").1.caller)
        #expect(iam.source == .iam && !iam.subject.isEmpty)
    }

    @Test func joinedValuesAndRawQuery() throws {
        let (event, request) = try v2("apigw-v2-http-request-multivalue-joined.json")
        let joined = try #require(event.queryStringParameters?.first { $0.value.contains(",") })
        #expect(request.query[joined.key]?.count == 2)
        #expect(request.header("HEADER2") == event.headers?["Header2"] ?? event.headers?["header2"])
    }

    @Test func samLocalQuirks() throws {
        let (event, request) = try v2("apigw-v2-http-request-sam-local.json")
        #expect(event.stageVariables == nil && event.cookies == [])
        #expect(request.method == "GET" && request.path == "/dump" && request.body.isEmpty)
    }

    @Test func bodyIsDecodedOnlyWhenFlagged() throws {
        let (event, request) = try v2("apigw-v2-http-request-b64-looking-body-flag-false.json")
        #expect(String(decoding: request.body, as: UTF8.self) == event.body)

        var flagged = event
        flagged.body = Data([0, 1, 2, 255]).base64EncodedString()
        flagged.isBase64Encoded = true
        #expect(try HTTPRequest(flagged).body == [0, 1, 2, 255])
        flagged.body = "not base64!"
        #expect(throws: HTTPError.self) { try HTTPRequest(flagged) }
    }

    @Test func everyFixtureIsCovered() throws {
        let names = try FileManagerless.list(Repository.path("Tests/Fixtures/events")).filter { $0.hasPrefix("apigw-") && $0.hasSuffix(".json") }
        for name in names where !name.contains("response") {
            if name.hasPrefix("apigw-v1") { _ = try v1(name) } else { _ = try v2(name) }
        }
        #expect(names.count == 12)
    }
}

import Glibc

/// Lists a folder with `opendir` (FoundationEssentials has no FileManager).
enum FileManagerless {
    static func list(_ path: String) throws -> [String] {
        guard let directory = opendir(path) else { throw HTTPError(.notFound, "no folder \(path)") }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }
}

/// REQUEST authorizer events read by the runtime's strict reader exactly as `Decodable` reads them, for every
/// sample (REST, HTTP API payload 1.0 and 2.0), and refused where `Decodable` refuses them.
@Suite struct RequestAuthorizerEventReadingTests {
    func read(_ bytes: [UInt8]) throws -> RequestAuthorizerEvent {
        try RequestAuthorizerEvent(EventMembers(try JSONValue.object(parsing: bytes, selecting: RequestAuthorizerEvent.members)))
    }

    @Test(arguments: ["authorizer-request-event-rest-api.json", "authorizer-request-event-http-api-payload-v1.json",
                      "authorizer-request-event-http-api-payload-v2.json",
                      "authorizer-request-event-http-api-payload-v2-authorization-header.json",
                      "authorizer-request-event-http-api-payload-v2-no-identity-source.json"])
    func everySampleReadsAsDecodableReadsIt(name: String) throws {
        let decoded = try Repository.fixture(RequestAuthorizerEvent.self, name)
        let read = try read(Array(try Repository.fixture(name)))
        #expect(read == decoded)
        #expect(read.resourceARN != nil && read.type == "REQUEST")
    }

    @Test(arguments: [
        #"{"methodArn":"arn"}"#,  // no type
        #"{"type":"REQUEST","headers":{"a":1}}"#,
        #"{"type":"REQUEST","identitySource":7}"#,
        #"{"type":"REQUEST","requestContext":{"http":{"method":[]}}}"#,
    ])
    func mistypedEventsAreRefusedAsDecodableRefusesThem(event: String) throws {
        #expect(throws: (any Error).self) { try JSONDecoder().decode(RequestAuthorizerEvent.self, from: Data(event.utf8)) }
        #expect(throws: (any Error).self) { try read(Array(event.utf8)) }
    }
}
