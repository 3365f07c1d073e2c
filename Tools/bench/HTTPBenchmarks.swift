import FoundationEssentials
@_spi(Gatehouse) import HTTP
import Transport
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

/// `http.server`: keep-alive `GET` requests over loopback from 4 client threads for 3 s.
let httpServerBenchmark = Benchmark(name: "http.server") { _ in
    let server = try HTTPServer { _ in .message(.ok, "ok") }
    defer { server.shutdown() }
    let clients = 4
    let deadline = monotonicNanoseconds() + 3_000_000_000
    let counts = Counts(clients)
    let start = monotonicNanoseconds()
    let threads = (0..<clients).map { index in
        Thread {
            guard let socket = try? Socket.connect(host: "127.0.0.1", port: server.port, timeoutSeconds: 5) else { return }
            let connection = WireConnection(socket: socket)
            let request = WireRequest(method: "GET", target: "/", headers: WireHeaders([("Host", "bench")]))
            while monotonicNanoseconds() < deadline {
                guard (try? connection.write(request)) != nil, (try? connection.readResponse())?.status == 200 else { return }
                counts.add(index)
            }
        }
    }
    threads.forEach { $0.join() }
    let rate = Double(counts.total) / (Double(monotonicNanoseconds() - start) / 1e9)
    return [BenchLine(name: "http.server", value: formatted(rate), unit: "req/s")]
}

/// Per-thread counters (each thread writes only its own slot).
final class Counts: @unchecked Sendable {
    private var values: [Int]
    init(_ count: Int) { values = [Int](repeating: 0, count: count) }
    func add(_ index: Int) { values[index] += 1 }
    var total: Int { values.reduce(0, +) }
}
