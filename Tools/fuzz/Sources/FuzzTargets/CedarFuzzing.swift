import Cedar

/// Cedar policy text, and whole authorizations. `cedar-policy`: any text parses or is refused with a place inside
/// it; what parses is authorized against no entities without crashing, and laid out by `cedar format` without the
/// layout changing what it means. `cedar-authorization`: the input is policies,
/// an entities document and a request, separated by NUL bytes; when all three read, the answer is consistent
/// (allow exactly when a permit is satisfied and no forbid is; reasons and errors apart) and the same twice.
enum CedarFuzzing {
    static let request = CedarRequest(principal: EntityUID(type: "User", id: "alice"), action: EntityUID(type: "Action", id: "view"),
                                      resource: EntityUID(type: "Photo", id: "p"), context: ["n": .long(1), "s": .string("x")])

    static func policy(_ input: [UInt8]) throws(InvariantViolation) {
        let text = String(decoding: input, as: UTF8.self)
        do {
            let policies = try CedarPolicySet(text: text)
            try check(policies, request, CedarEntities())
            do { _ = try CedarFormatter.format(text) } catch {
                try expect(!error.description.hasPrefix("internal error"), "the layout changed the policies")
            }
        } catch let error as CedarParseError {
            let lines = text.unicodeScalars.filter { $0 == "\n" }.count + 1
            try expect(error.line >= 1 && error.line <= lines && error.column >= 1, "parse error outside the text: \(error)")
        } catch let violation as InvariantViolation {
            throw violation
        } catch {
            throw InvariantViolation(description: "unexpected error \(error)")
        }
    }

    static func authorization(_ input: [UInt8]) throws(InvariantViolation) {
        let parts = input.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let policies = try? CedarPolicySet(text: String(decoding: parts[0], as: UTF8.self)),
              let entities = try? CedarJSON.entities(Array(parts[1])), let request = try? CedarJSON.request(Array(parts[2]))
        else { return }
        try check(policies, request, entities)
    }

    private static func check(_ policies: CedarPolicySet, _ request: CedarRequest,
                              _ entities: CedarEntities) throws(InvariantViolation) {
        let response = policies.authorize(request, entities: entities)
        let effects = Dictionary(policies.policies.map { ($0.id, $0.effect) }, uniquingKeysWith: { first, _ in first })
        let reasons = Set(response.reasons), errors = Set(response.errors.map(\.id))
        try expect(reasons.isDisjoint(with: errors), "a policy both decided and failed")
        if response.allowed {
            try expect(!reasons.isEmpty && reasons.allSatisfy { effects[$0] == .permit }, "allowed without a permit")
        } else {
            try expect(reasons.allSatisfy { effects[$0] == .forbid }, "denied with a permit as reason")
        }
        try expect(policies.authorize(request, entities: entities) == response, "two answers to one request")
    }
}
