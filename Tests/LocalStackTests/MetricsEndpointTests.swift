import JSON
import GatehouseTesting
import LocalStack
import Testing

/// `/_gatehouse/metrics` counts what the functions' metric lines say, read from their output: asked right after an
/// answer, it waits (woken by the reader of that output, not a timer) until the answer's line has been counted.
@Suite struct MetricsEndpointTests {
    @Test func everyAnsweredRequestIsCountedWhenTheMetricsAreAsked() async throws {
        let stack = try LocalStackServer.onFreePort(templatePath: Repository.path("template.json"),
                                                    identitiesPath: Repository.identities,
                                                    executables: Repository.builtProducts)
        for answered in 1...25 {
            #expect(try await SeedFlowTests.call(stack, "GET", "/wish-list").0 == 200)
            let (status, body) = try await SeedFlowTests.call(stack, "GET", "/_gatehouse/metrics")
            let counts = try JSONValue.object(parsing: Array(body.utf8))["counts"]?.arrayValue ?? []
            let listed = counts.first { $0["dimensions"]?["Route"] == "GET /wish-list" }?["metrics"]?["Requests"]
            #expect(status == 200 && listed == .number(Double(answered)), "after \(answered) requests: \(body)")
        }
        await stack.stop()
    }
}
