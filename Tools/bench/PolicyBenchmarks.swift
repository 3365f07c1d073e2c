import Cedar
import GatehouseTesting
import HTTP
import HTTPTesting
import Policy
import Runtime
import Storage
import Transport
import WishList

/// `policy.authorize.<action>`: what a handler's `context.authorize(_:on:)` costs with the embedded backend, per
/// decision — building the principal from the caller and the list's entity, then the engine — beside
/// `policy.engine.<action>`, the engine alone on entities and a request built once; `policy.overhead.<action>` is
/// the difference (goal ≤ 10 µs). Median of 9 rounds of 20,000 decisions, interleaved. `policy.request.<route>`:
/// a whole request through the wish-list application in the process (event in, response out, audit line and
/// metrics written to nowhere), the shared list's read beside the plain list's — where a function's CPU goes
/// beyond the Lambda loop.
let policyBenchmarks = Benchmark(name: "policy") { _ in
    let policies = try EmbeddedPolicies.forFunction(sourceFile: Repository.path("Apps/WishList/Sources/WishList/X.swift"))
    let list = SharedList(id: "k3x9q", name: "Birthday", owner: "auth0|ada@example.com", tenant: "acme",
                          viewers: ["carol@example.com"], editors: ["bob@example.com"])
    let carol = Caller(subject: "auth0|carol@example.com", scopes: ScopeSet(["read:profile", "write:wishlist"]),
                       claims: ["tenant": "acme", "email": "carol@example.com", "groups": "[members]"], source: .jwt)
    var lines: [BenchLine] = []
    for action in ["ViewList", "AddItem"] {
        let question = PolicyQuestion(principal: PolicyEntity(caller: carol), action: PolicyAction(action),
                                      resource: PolicyEntity(list))
        let entities = CedarEntities([
            question.principal.uid: (CedarEntity(attributes: question.principal.attributes), question.principal.parents),
            question.resource.uid: (CedarEntity(attributes: question.resource.attributes), question.resource.parents),
        ])
        let request = CedarRequest(principal: question.principal.uid, action: EntityUID(type: "Action", id: action),
                                   resource: question.resource.uid)
        let count = 20_000
        var whole: [Double] = [], engine: [Double] = []
        var allowed = 0
        for _ in 0..<9 {
            var start = monotonicNanoseconds()
            for _ in 0..<count {
                let asked = PolicyQuestion(principal: PolicyEntity(caller: carol), action: PolicyAction(action),
                                           resource: PolicyEntity(list))
                if policies.decide(asked).allowed { allowed += 1 }
            }
            whole.append(Double(monotonicNanoseconds() - start) / Double(count))
            start = monotonicNanoseconds()
            for _ in 0..<count where policies.policies.authorize(request, entities: entities).allowed { allowed += 1 }
            engine.append(Double(monotonicNanoseconds() - start) / Double(count))
        }
        precondition(allowed % count == 0, "the decisions changed between rounds")
        lines.append(BenchLine(name: "policy.authorize.\(action)", value: formatted(median(whole)), unit: "ns"))
        lines.append(BenchLine(name: "policy.engine.\(action)", value: formatted(median(engine)), unit: "ns"))
        lines.append(BenchLine(name: "policy.overhead.\(action)", value: formatted(median(whole) - median(engine)), unit: "ns"))
    }
    lines += try await requestCosts(policies: policies)
    return lines
}

private func requestCosts(policies: EmbeddedPolicies) async throws -> [BenchLine] {
    let observability = Observability(service: "bench", metrics: MetricsLogger(sink: { _ in }),
                                      audit: Logger(level: .info, sink: { _ in }))
    let app = WishListRoutes.application(table: MemoryTable(schema: WishListStore.schema), policies: policies,
                                         observability: observability)
    let ada = ["sub": "auth0|ada@example.com", "email": "ada@example.com", "https://gatehouse.dev/tenant": "acme",
               "scope": "read:profile write:wishlist"]
    let carol = ["sub": "auth0|carol@example.com", "email": "carol@example.com", "https://gatehouse.dev/tenant": "acme",
                 "https://gatehouse.dev/groups": "[members]", "scope": "read:profile write:wishlist"]
    _ = try await app.handle(event: try TestEvents.httpAPI("POST", "/lists", body: #"{"name":"Birthday"}"#, claims: ada,
                                                           scopes: ["write:wishlist"]), invocationID: "list-1")
    _ = try await app.handle(event: try TestEvents.httpAPI("POST", "/lists/list-1/shares",
                                                           body: #"{"user":"carol@example.com","role":"viewer"}"#,
                                                           claims: ada, scopes: ["write:wishlist"]), invocationID: "share-1")
    let routes = [("wish-list", try TestEvents.httpAPI("GET", "/wish-list")),
                  ("get-list", try TestEvents.httpAPI("GET", "/lists/list-1", claims: carol, scopes: ["read:profile"]))]
    var samples: [String: [Double]] = [:]
    for _ in 0..<9 {
        for (name, event) in routes {
            let count = 3000, start = monotonicNanoseconds()
            for index in 0..<count { _ = try await app.handle(event: event, invocationID: "r\(index)") }
            samples[name, default: []].append(Double(monotonicNanoseconds() - start) / Double(count))
        }
    }
    return routes.map { BenchLine(name: "policy.request.\($0.0)", value: formatted(median(samples[$0.0]!)), unit: "ns") }
}
