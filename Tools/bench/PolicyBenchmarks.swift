import Cedar
import GatehouseTesting
import HTTP
import Policy
import Transport
import WishList

/// `policy.authorize.<action>`: what a handler's `context.authorize(_:on:)` costs with the embedded backend, per
/// decision — building the principal from the caller and the list's entity, then the engine — beside
/// `policy.engine.<action>`, the engine alone on entities and a request built once; `policy.overhead.<action>` is
/// the difference (goal ≤ 10 µs). Median of 9 rounds of 20,000 decisions, interleaved.
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
    return lines
}
