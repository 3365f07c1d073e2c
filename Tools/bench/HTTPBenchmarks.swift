import FoundationEssentials
import HTTP
import Policy

/// `http.router`: one HTTP API event through the adapter per operation: decode, caller from the JWT authorizer
/// block, route match, scope check, handler, response encoding.
let httpBenchmarks = Benchmark(name: "http") { _ in
    var router = Router()
    router.get("/wish-list", requires: .public) { _, _ in .message(.ok, "list") }
    router.get("/tenants/{tenantId}/wish-list", requires: .scope("read:profile")) { request, _ in
        .message(.ok, request.pathParameters["tenantId"] ?? "")
    }
    router.post("/wish-list", requires: .scope("write:wishlist")) { _, context in .message(.created, context.caller.subject) }
    let app = Application(router: router)
    let event = Array("""
        {"version":"2.0","routeKey":"GET /tenants/{tenantId}/wish-list","rawPath":"/tenants/acme/wish-list",
        "rawQueryString":"","headers":{"accept":"application/json","authorization":"Bearer x","host":"api.example"},
        "requestContext":{"accountId":"123456789012","apiId":"api","domainName":"api.example","requestId":"r1",
        "routeKey":"GET /tenants/{tenantId}/wish-list","stage":"$default","timeEpoch":1700000000000,
        "http":{"method":"GET","path":"/tenants/acme/wish-list","protocol":"HTTP/1.1","sourceIp":"127.0.0.1"},
        "authorizer":{"jwt":{"claims":{"sub":"ada","scope":"read:profile write:wishlist","iss":"https://idp/"},
        "scopes":["read:profile","write:wishlist"]}}},"isBase64Encoded":false}
        """.utf8)
    var count = 0
    let start = monotonicNanoseconds()
    let end = start + 2_000_000_000
    var now = start
    while now < end {
        for _ in 0..<100 { _ = try await app.handle(event: event) }
        count += 100
        now = monotonicNanoseconds()
    }
    return [BenchLine(name: "http.router", value: formatted(Double(count) / (Double(now - start) / 1e9)), unit: "ops/s")]
}
