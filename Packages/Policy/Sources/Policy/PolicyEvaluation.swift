/// The outcome of evaluating a policy against a request, as API Gateway decides it.
public enum PolicyDecision: Sendable, Equatable {
    /// An Allow statement matches and no Deny does.
    case allow
    /// A Deny statement matches (it wins over any Allow): 403 "…with an explicit deny".
    case explicitDeny
    /// No statement allows the request: 403 "User is not authorized to access this resource".
    case implicitDeny
}

extension PolicyDocument {
    /// Evaluates `action` on `resource` (the `methodArn`) as IAM does: `*` matches any run of characters (`/`
    /// included), `?` one character, an explicit Deny wins, and no Allow means deny. `conditionValues` holds the
    /// request's condition keys (`aws:SourceIp`…). Fail-closed on conditions: a condition that cannot be evaluated
    /// makes an Allow statement not apply and a Deny statement apply.
    public func evaluate(resource: String, action: String = "execute-api:Invoke",
                         conditionValues: [String: String] = [:]) -> PolicyDecision {
        var allowed = false
        for statement in statements {
            guard statement.actions.contains(where: { wildcardMatch($0.lowercased(), action.lowercased()) }),
                  statement.resources.contains(where: { wildcardMatch($0, resource) })
            else { continue }
            let condition = statement.conditions.map { evaluateConditions($0, values: conditionValues) } ?? .holds
            switch (statement.effect, condition) {
            case (.deny, .holds), (.deny, .unknown):
                return .explicitDeny
            case (.allow, .holds):
                allowed = true
            default:
                continue
            }
        }
        return allowed ? .allow : .implicitDeny
    }
}

private enum ConditionResult {
    case holds, fails, unknown
}

/// Whether every condition holds; `unknown` for an operator not supported here or a key the request lacks.
private func evaluateConditions(_ conditions: [String: [String: [String]]], values: [String: String]) -> ConditionResult {
    var result = ConditionResult.holds
    for (operation, keys) in conditions {
        for (key, expected) in keys {
            guard let actual = values[key] else { return .unknown }
            let holds: Bool
            switch operation {
            case "StringEquals": holds = expected.contains(actual)
            case "StringNotEquals": holds = !expected.contains(actual)
            case "StringLike": holds = expected.contains { wildcardMatch($0, actual) }
            case "StringNotLike": holds = !expected.contains { wildcardMatch($0, actual) }
            case "IpAddress", "NotIpAddress":
                let matches = expected.compactMap { IPv4Range($0) }.contains { $0.contains(actual) }
                holds = operation == "IpAddress" ? matches : !matches
            default: return .unknown
            }
            if !holds { result = .fails }
        }
    }
    return result
}

/// IAM wildcard matching over the whole string: `*` any run (possibly empty), `?` exactly one character.
func wildcardMatch(_ pattern: String, _ text: String) -> Bool {
    let pattern = Array(pattern.utf8), text = Array(text.utf8)
    var p = 0, t = 0
    var star = -1, resume = 0
    while t < text.count {
        if p < pattern.count && (pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t]) {
            p += 1
            t += 1
        } else if p < pattern.count && pattern[p] == UInt8(ascii: "*") {
            star = p
            resume = t
            p += 1
        } else if star >= 0 {
            p = star + 1
            resume += 1
            t = resume
        } else {
            return false
        }
    }
    while p < pattern.count && pattern[p] == UInt8(ascii: "*") { p += 1 }
    return p == pattern.count
}

/// An IPv4 address or CIDR block, for `IpAddress` conditions.
struct IPv4Range {
    let base: UInt32
    let mask: UInt32

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let address = parts.first.flatMap({ IPv4Range.address(String($0)) }) else { return nil }
        let bits = parts.count == 2 ? Int(parts[1]) : 32
        guard let bits, (0...32).contains(bits) else { return nil }
        mask = bits == 0 ? 0 : UInt32.max << (32 - bits)
        base = address & mask
    }

    func contains(_ text: String) -> Bool {
        guard let address = IPv4Range.address(text) else { return false }
        return address & mask == base
    }

    static func address(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false).map { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 != nil && $0! <= 255 }) else { return nil }
        return octets.reduce(0) { $0 << 8 | $1! }
    }
}
