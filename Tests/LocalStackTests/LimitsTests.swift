import FoundationEssentials
import GatehouseTesting
import LocalStack
import Testing
import TransportClient

/// Limits API Gateway enforces before a function runs, end to end on a template that sets them: a REST method's
/// throttle, an API key with its usage plan's quota, an HTTP API route's throttle (SPEC §3: 429 and 403 rows).
@Suite(.serialized) struct LimitsTests {
    static func post(_ stack: LocalStackServer, _ path: String, headers: [(String, String)] = [])
        async throws -> (status: Int, body: String, errorType: String?)
    {
        let response = try await SeedFlowTests.client.send("POST", stack.baseURL + path,
                                                           headers: [("Content-Type", "application/json")] + headers,
                                                           body: Array("{}".utf8))
        return (response.status, String(decoding: response.body, as: UTF8.self),
                response.headers.first { $0.name.lowercased() == "x-amzn-errortype" }?.value)
    }

    @Test func throttlesKeysAndQuotas() async throws {
        let stack = try LocalStackServer.onFreePort(templatePath: Repository.path("Tests/LocalStackTests/Templates/limits.json"),
                                                    identitiesPath: Repository.identities,
                                                    executables: Repository.builtProducts)
        // A burst of 2 refilled at 0.001/s: the third request in a row is the gateway's 429.
        for _ in 0..<2 { #expect(try await Self.post(stack, "/logout").status != 429) }
        let throttled = try await Self.post(stack, "/logout")
        #expect(throttled.status == 429 && throttled.body == #"{"message":"Too Many Requests"}"#)
        #expect(throttled.errorType == "TooManyRequestsException")
        let http = try await Self.post(stack, "/token/refresh")
        #expect(http.status == 400)  // the handler's answer to an empty refresh
        let httpThrottled = try await Self.post(stack, "/token/refresh")
        #expect(httpThrottled.status == 429 && httpThrottled.body == #"{"message":"Too Many Requests"}"#)

        // No key, or one the stack does not know: 403 before the function; the dev key: three a day.
        let none = try await Self.post(stack, "/login")
        #expect(none.status == 403 && none.body == #"{"message":"Forbidden"}"# && none.errorType == "ForbiddenException")
        #expect(try await Self.post(stack, "/login", headers: [("x-api-key", "not-a-key")]).status == 403)
        let key = [("x-api-key", "gatehouse-dev-api-key-0000000000000000")]
        for _ in 0..<3 { #expect(try await Self.post(stack, "/login", headers: key).status == 400) }  // the handler: no email
        let spent = try await Self.post(stack, "/login", headers: key)
        #expect(spent.status == 429 && spent.body == #"{"message":"Limit Exceeded"}"#)
        await stack.stop()
    }
}
