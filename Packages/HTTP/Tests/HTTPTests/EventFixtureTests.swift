import JSON
import FoundationEssentials
import GatehouseTesting
import Testing
@_spi(Gatehouse) @testable import HTTP
import Policy
import Transport

/// Every API Gateway sample in Tests/Fixtures/events decodes, round-trips and yields the right request and caller;
/// the runtime's one-pass reader (`ProxyEvent`, no `JSONDecoder`) yields what the `Decodable` types and the reference
/// mapping yield.
@Suite struct EventFixtureTests {
    /// The request the runtime reads from an event's bytes.
    static func read(_ bytes: [UInt8]) throws -> HTTPRequest {
        try HTTPRequest(ProxyEvent(bytes))
    }

    func v1(_ name: String) throws -> (APIGatewayV1Request, HTTPRequest) {
        let event = try Repository.fixture(APIGatewayV1Request.self, name)
        #expect(try roundTrip(event) == event)
        let request = try Self.read(Array(Repository.fixture(name)))
        try expectSame(request, HTTPRequest(reference: event))
        return (event, request)
    }

    func v2(_ name: String) throws -> (APIGatewayV2Request, HTTPRequest) {
        let event = try Repository.fixture(APIGatewayV2Request.self, name)
        #expect(try roundTrip(event) == event)
        let request = try Self.read(Array(Repository.fixture(name)))
        try expectSame(request, HTTPRequest(reference: event))
        return (event, request)
    }

    /// Field by field; headers by name (the reference sorts them, the reader keeps the event's order).
    func expectSame(_ request: HTTPRequest, _ reference: HTTPRequest) {
        func fields(_ request: HTTPRequest) -> [String: [String]] {
            Dictionary(grouping: request.headers, by: \.name).mapValues { $0.map(\.value) }
        }
        #expect(request.method == reference.method && request.path == reference.path)
        #expect(fields(request) == fields(reference) && request.headers.count == reference.headers.count)
        #expect(request.query == reference.query && request.pathParameters == reference.pathParameters)
        #expect(request.cookies == reference.cookies && request.body == reference.body)
        #expect(request.requestID == reference.requestID && request.sourceIP == reference.sourceIP)
        #expect(request.caller == reference.caller)
    }

    /// A member of the wrong shape is refused by name, as a `Decodable` would refuse it; `null` reads as absent.
    @Test(arguments: [
        (#"{"path":"/","httpMethod":"GET","headers":{"a":1}}"#, "headers"),
        (#"{"path":"/","httpMethod":7}"#, "httpMethod"),
        (#"{"path":"/","httpMethod":"GET","requestContext":{"identity":{"sourceIp":[]}}}"#, "requestContext.identity.sourceIp"),
        (#"{"path":"/","httpMethod":"GET","multiValueHeaders":{"a":"b"}}"#, "multiValueHeaders"),
        (#"{"httpMethod":"GET"}"#, "path"),
        (#"{"version":"2.0","rawPath":"/","requestContext":{}}"#, "requestContext.http"),
        (#"{"version":"2.0","rawPath":"/","requestContext":{"http":{"method":"GET"},"authorizer":{"jwt":{"scopes":[1]}}}}"#,
         "requestContext.authorizer.jwt.scopes"),
    ])
    func mistypedMembersAreNamed(event: String, member: String) throws {
        #expect { try Self.read(Array(event.utf8)) } throws: { ($0 as? ProxyEvent.Mismatch)?.member == member }
    }

    @Test func nullsReadAsAbsentAndMembersOfTheOtherVersionAreNotChecked() throws {
        let nulls = #"{"version":"2.0","rawPath":"/","headers":null,"cookies":null,"multiValueHeaders":7,"requestContext":{"http":{"method":"GET"},"authorizer":null,"identity":[]}}"#
        let request = try Self.read(Array(nulls.utf8))
        #expect(request.headers.isEmpty && request.cookies.isEmpty && request.caller == nil)
        let rest = #"{"path":"/","httpMethod":"get","cookies":{},"rawPath":7,"requestContext":{"http":5}}"#
        #expect(try Self.read(Array(rest.utf8)).method == "GET")
    }

    /// A member read twice would let two readers see two different requests: refused, escaped spellings included,
    /// in every object the reader walks (inside a value it skips, a name twice is checked JSON but nobody's concern).
    @Test(arguments: [
        #"{"path":"/","path":"/admin","httpMethod":"GET"}"#,
        #"{"path":"/","\u0070ath":"/admin","httpMethod":"GET"}"#,
        #"{"path":"/","httpMethod":"GET","headers":{"authorization":"a","authorization":"b"}}"#,
        #"{"path":"/","httpMethod":"GET","pathParameters":{"id":"1","id":"2"}}"#,
        #"{"path":"/","httpMethod":"GET","requestContext":{"authorizer":{"principalId":"a","principalId":"b"}}}"#,
        #"{"path":"/","httpMethod":"GET","requestContext":{"identity":{"userArn":"a","userArn":"b"}}}"#,
        #"{"path":"/","httpMethod":"GET","extra":1,"extra":2}"#,
    ])
    func repeatedMembersAreRefused(event: String) throws {
        #expect(throws: (any Error).self) { try Self.read(Array(event.utf8)) }
        #expect(throws: (any Error).self) { try JSONValue.object(parsing: Array(event.utf8)) }
    }

    /// A REST event's multi-value headers win whenever that object has members; otherwise its `headers` count, and an
    /// HTTP API event's `headers` count wherever its `version` stands.
    @Test func whichHeadersCount() throws {
        let both = #"{"path":"/","httpMethod":"GET","headers":{"a":"1"},"multiValueHeaders":{"a":["2","3"]}}"#
        #expect(try Self.read(Array(both.utf8)).headers.map(\.value) == ["2", "3"])
        let emptyLists = #"{"path":"/","httpMethod":"GET","headers":{"a":"1"},"multiValueHeaders":{"a":[]}}"#
        #expect(try Self.read(Array(emptyLists.utf8)).headers.isEmpty)
        let single = #"{"path":"/","httpMethod":"GET","headers":{"a":"1","b":"2"},"multiValueHeaders":{}}"#
        #expect(try Self.read(Array(single.utf8)).headers.map(\.value) == ["1", "2"])
        let late = #"{"rawPath":"/","headers":{"a":"1"},"multiValueHeaders":{"a":["2"]},"version":"2.0","requestContext":{"http":{"method":"GET"}}}"#
        #expect(try Self.read(Array(late.utf8)).headers.map(\.value) == ["1"])
    }

    @Test func escapedNamesReadAsTheirText() throws {
        let request = try Self.read(Array(#"{"\u0070ath":"/a","httpM\u0065thod":"GET","unknown":{"x":1,"x":2}}"#.utf8))
        #expect(request.path == "/a" && request.method == "GET")
    }

    /// Every member the event types hold, in every sample, replaced by values of every other shape: the reader
    /// refuses exactly what `Decodable` refuses.
    @Test func mutatedSamplesAreRefusedExactlyAsDecodableRefusesThem() throws {
        let rest = ["resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters",
                    "multiValueQueryStringParameters", "pathParameters", "stageVariables", "body", "isBase64Encoded",
                    "requestContext", "requestContext.accountId", "requestContext.apiId", "requestContext.stage",
                    "requestContext.requestId", "requestContext.resourcePath", "requestContext.httpMethod",
                    "requestContext.requestTimeEpoch", "requestContext.identity", "requestContext.identity.sourceIp",
                    "requestContext.identity.userAgent", "requestContext.identity.userArn", "requestContext.identity.accessKey",
                    "requestContext.identity.accountId", "requestContext.identity.caller",
                    "requestContext.identity.user", "requestContext.identity.apiKey",
                    "requestContext.identity.apiKeyId", "requestContext.path",
                    "requestContext.authorizer"]
        let httpAPI = ["version", "routeKey", "rawPath", "rawQueryString", "cookies", "headers", "queryStringParameters",
                       "pathParameters", "stageVariables", "body", "isBase64Encoded", "requestContext",
                       "requestContext.accountId", "requestContext.apiId", "requestContext.domainName",
                       "requestContext.requestId", "requestContext.routeKey", "requestContext.stage", "requestContext.time",
                       "requestContext.timeEpoch", "requestContext.http", "requestContext.http.method",
                       "requestContext.http.path", "requestContext.http.protocol", "requestContext.http.sourceIp",
                       "requestContext.http.userAgent", "requestContext.authorizer", "requestContext.authorizer.jwt",
                       "requestContext.authorizer.jwt.claims", "requestContext.authorizer.jwt.scopes",
                       "requestContext.authorizer.lambda", "requestContext.authorizer.iam"]
        let shapes: [JSONValue] = [.null, 7, "2.0", true, .array([]), .array(["a"]), .array([1]), .object([:]),
                                   .object(["a": "b"]), .object(["a": .array(["b"])]), .object(["a": 1])]
        var cases = 0
        for name in DirectoryEntries.names(in: Repository.path("Tests/Fixtures/events"))
        where name.hasPrefix("apigw-") && name.hasSuffix(".json") && !name.contains("response") {
            let sample = JSONValue.object(try JSONValue.object(parsing: Array(Repository.fixture(name))))
            for path in name.hasPrefix("apigw-v1") ? rest : httpAPI {
                for shape in shapes {
                    guard let mutated = sample.replacing(path.split(separator: ".").map(String.init), with: shape) else { continue }
                    let bytes = Array(mutated.jsonText.utf8)
                    let decodes = mutated.objectValue?["version"] == "2.0"
                        ? (try? JSONDecoder().decode(APIGatewayV2Request.self, from: Data(bytes))) != nil
                        : (try? JSONDecoder().decode(APIGatewayV1Request.self, from: Data(bytes))) != nil
                    var reads = true
                    do { _ = try Self.read(bytes) } catch is HTTPError {} catch { reads = false }
                    #expect(reads == decodes, "\(name) \(path) = \(shape.jsonText)")
                    cases += 1
                }
            }
        }
        #expect(cases > 3_000)
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
        #expect(try Self.read(Array(JSONEncoder().encode(flagged))).body == [0, 1, 2, 255])
        flagged.body = "not base64!"
        #expect(throws: HTTPError.self) { try Self.read(Array(JSONEncoder().encode(flagged))) }
    }

    @Test func everyFixtureIsCovered() throws {
        let names = DirectoryEntries.names(in: Repository.path("Tests/Fixtures/events")).filter { $0.hasPrefix("apigw-") && $0.hasSuffix(".json") }
        for name in names where !name.contains("response") {
            if name.hasPrefix("apigw-v1") { _ = try v1(name) } else { _ = try v2(name) }
        }
        #expect(names.count == 12)
    }
}

extension JSONValue {
    /// The value with the member at `path` set to `value` (added when absent); nil when a parent is not an object.
    func replacing(_ path: [String], with value: JSONValue) -> JSONValue? {
        guard var members = objectValue, let first = path.first else { return nil }
        if path.count == 1 {
            members[first] = value
        } else {
            guard let inner = members[first]?.replacing(Array(path.dropFirst()), with: value) else { return nil }
            members[first] = inner
        }
        return .object(members)
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
