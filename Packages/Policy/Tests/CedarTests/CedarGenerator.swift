/// Random Cedar cases over the whole language — policies with every operator and extension function (errors
/// included), entities with attributes, tags and groups, and requests — from a seed, so a disagreement can be
/// replayed.
struct CedarGenerator {
    struct Case {
        var policies: String
        var entities: String
        var requests: [String]
    }

    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// SplitMix64.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    private mutating func pick<T>(_ options: [T]) -> T { options[below(options.count)] }
    private mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    static let users = ["alice", "bob", "eve"], groups = ["admins", "staff"], docs = ["d1", "d2"]
    static let actions = ["view", "edit", "write"]

    mutating func makeCase() -> Case {
        let policies = (0..<(1 + below(4))).map { _ in policy() }.joined(separator: "\n")
        var entities: [String] = []
        for user in Self.users {
            let parents = Self.groups.filter { _ in chance(40) }.map { #"{"type":"Group","id":"\#($0)"}"# }
            entities.append(#"{"uid":{"type":"User","id":"\#(user)"},"attrs":\#(attributes()),"parents":[\#(parents.joined(separator: ","))],"tags":\#(tags())}"#)
        }
        entities.append(#"{"uid":{"type":"Group","id":"admins"},"attrs":{},"parents":[{"type":"Group","id":"staff"}]}"#)
        entities.append(#"{"uid":{"type":"Group","id":"staff"},"attrs":{},"parents":[]}"#)
        for doc in Self.docs where chance(80) {
            entities.append(#"{"uid":{"type":"Doc","id":"\#(doc)"},"attrs":\#(attributes()),"parents":[],"tags":\#(tags())}"#)
        }
        entities.append(#"{"uid":{"type":"Action","id":"edit"},"attrs":{},"parents":[{"type":"Action","id":"write"}]}"#)
        entities.append(#"{"uid":{"type":"Action","id":"write"},"attrs":{},"parents":[]}"#)
        let requests = (0..<3).map { _ in
            #"{"principal":{"type":"User","id":"\#(pick(Self.users))"},"action":{"type":"Action","id":"\#(pick(Self.actions))"},"#
                + #""resource":{"type":"Doc","id":"\#(pick(Self.docs))"},"context":\#(attributes())}"#
        }
        return Case(policies: policies, entities: "[" + entities.joined(separator: ",") + "]", requests: requests)
    }

    private mutating func attributes() -> String {
        var members: [String] = []
        if chance(80) { members.append(#""n":\#(pick(["0", "1", "-7", "42", "9223372036854775807", "-9223372036854775808"]))"#) }
        if chance(80) {
            let text = pick(["", "abc", "a*c", "x\\\"y", "ünï"])  // x\"y in JSON: a quote inside
            members.append(#""s":"\#(text)""#)
        }
        if chance(70) { members.append(#""flag":\#(pick(["true", "false"]))"#) }
        if chance(60) { members.append(#""owner":{"__entity":{"type":"User","id":"\#(pick(Self.users))"}}"#) }
        if chance(50) { members.append(#""list":[\#((0..<below(4)).map { _ in pick(["1", "2", "\"a\"", "true"]) }.joined(separator: ","))]"#) }
        if chance(40) { members.append(#""rec":{"a":\#(pick(["1", "\"x\"", "{\"b\":2}"]))}"#) }
        if chance(40) { members.append(#""dec":{"__extn":{"fn":"decimal","arg":"\#(pick(["1.5", "-0.25", "3.1415"]))"}}"#) }
        if chance(30) { members.append(#""addr":{"__extn":{"fn":"ip","arg":"\#(pick(["10.0.0.1", "192.168.1.0/24", "::1"]))"}}"#) }
        return "{" + members.joined(separator: ",") + "}"
    }

    private mutating func tags() -> String {
        chance(50) ? #"{"role":"\#(pick(["admin", "user"]))","level":\#(below(5))}"# : "{}"
    }

    private mutating func policy() -> String {
        let effect = chance(65) ? "permit" : "forbid"
        let principal = pick(["principal", #"principal == User::"\#(pick(Self.users))""#, #"principal in Group::"\#(pick(Self.groups))""#,
                              "principal is User", #"principal is User in Group::"staff""#])
        let action = pick(["action", #"action == Action::"\#(pick(Self.actions))""#, #"action in Action::"write""#,
                           #"action in [Action::"view", Action::"edit"]"#])
        let resource = pick(["resource", #"resource == Doc::"\#(pick(Self.docs))""#, "resource is Doc"])
        var text = "\(effect)(\(principal), \(action), \(resource))"
        for _ in 0..<below(3) { text += " \(pick(["when", "unless"])) { \(boolean(depth: 0)) }" }
        return text + ";"
    }

    private mutating func boolean(depth: Int) -> String {
        if depth > 3 { return pick(["true", "false", "context.flag", "principal.flag"]) }
        switch below(16) {
        case 0: return "\(boolean(depth: depth + 1)) && \(boolean(depth: depth + 1))"
        case 1: return "(\(boolean(depth: depth + 1)) || \(boolean(depth: depth + 1)))"
        case 2: return "!\(atom(depth: depth + 1))"
        case 3: return "\(value(depth: depth + 1)) \(pick(["==", "!="])) \(value(depth: depth + 1))"
        case 4: return "\(number(depth: depth + 1)) \(pick(["<", "<=", ">", ">="])) \(number(depth: depth + 1))"
        case 5: return "\(entity()) in \(pick([entity(), "[\(entity()), \(entity())]", "principal.list", "resource.owner"]))"
        case 6: return "\(pick(["principal", "resource", "context"])) has \(pick(["n", "s", "flag", "owner", "rec.a", "rec.a.b", "missing"]))"
        case 7: return "\(pick(["principal.s", "resource.s", "context.s", "\"abc\""])) like \"\(pick(["*", "a*", "*c", "a\\*c", ""]))\""
        case 8: return "\(set(depth: depth + 1)).\(pick(["contains(\(value(depth: depth + 1)))", "containsAll(\(set(depth: depth + 1)))", "containsAny(\(set(depth: depth + 1)))", "isEmpty()"]))"
        case 9: return "\(pick(["principal", "resource", "resource.owner"])).hasTag(\"\(pick(["role", "level", "x"]))\")"
        case 10: return "\(pick(["principal", "resource"])).getTag(\"\(pick(["role", "level", "x"]))\") == \"admin\""
        case 11: return "(if \(boolean(depth: depth + 1)) then \(boolean(depth: depth + 1)) else \(boolean(depth: depth + 1)))"
        case 12: return "\(decimal()).\(pick(["lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual"]))(\(decimal()))"
        case 13: return "\(ip()).\(pick(["isIpv4()", "isIpv6()", "isLoopback()", "isMulticast()", "isInRange(\(ip()))"]))"
        case 14:
            let time = "datetime(\"\(pick(["2024-01-01", "2024-02-29T12:00:00Z", "1969-12-31T23:59:59.999Z", "2024-13-01", "2024-01-01T00:00:00+0130"]))\")"
            let span = "duration(\"\(pick(["1d", "-2h30m", "90s", "1ms", "1s1d", "9223372036854775807d"]))\")"
            return pick(["\(time) < \(time).offset(\(span))", "\(time).toDate() == \(time).toDate()", "\(time).toTime() < \(span)",
                         "\(time).durationSince(\(time)).toSeconds() > \(number(depth: depth + 1))", "\(span).toHours() >= 0"])
        default: return "\(pick(["principal", "resource", "action"])) is \(pick(["User", "Doc", "Action", "Group"]))"
        }
    }

    private mutating func atom(depth: Int) -> String { "(\(boolean(depth: depth)))" }

    private mutating func number(depth: Int) -> String {
        if depth > 3 { return pick(["1", "-1", "9223372036854775807"]) }
        switch below(6) {
        case 0: return "\(number(depth: depth + 1)) \(pick(["+", "-", "*"])) \(number(depth: depth + 1))"
        case 1: return "-\(pick(["principal.n", "1", "(2)"]))"
        case 2: return pick(["principal.n", "resource.n", "context.n", "principal.rec.a"])
        case 3: return "(if \(boolean(depth: depth + 1)) then \(number(depth: depth + 1)) else \(pick(["0", "\"s\""])))"
        default: return pick(["0", "1", "-9223372036854775808", "9223372036854775807", "100"])
        }
    }

    private mutating func value(depth: Int) -> String {
        switch below(7) {
        case 0: return number(depth: depth)
        case 1: return pick(["\"abc\"", "principal.s", "context.s"])
        case 2: return entity()
        case 3: return set(depth: depth)
        case 4: return pick(["{a: 1}", "{\"a\": 1, b: [true]}", "principal.rec", "context.rec"])
        case 5: return pick([decimal(), ip(), "principal.dec", "context.addr"])
        default: return "(\(boolean(depth: depth + 2)))"
        }
    }

    private mutating func set(depth: Int) -> String {
        pick(["[]", "[1, 2]", "[\"a\", 1, true]", "principal.list", "context.list", "[\(entity()), \(entity())]",
              "[\(depth > 3 ? "1" : value(depth: depth + 1))]"])
    }

    private mutating func entity() -> String {
        pick(["principal", "resource", "action", "resource.owner", "User::\"\(pick(Self.users))\"",
              "Group::\"\(pick(Self.groups))\"", "Doc::\"\(pick(Self.docs))\"", "Action::\"write\""])
    }

    private mutating func decimal() -> String {
        pick(["decimal(\"\(pick(["1.5", "-0.0001", "922337203685477.5807", "1.23456", "abc", "0.5"]))\")", "principal.dec",
              "context.dec"])
    }

    private mutating func ip() -> String {
        pick(["ip(\"\(pick(["127.0.0.1", "10.0.0.0/8", "::1", "ff00::/8", "224.1.2.3", "10.0.0.300", "::ffff:1.2.3.4"]))\")",
              "principal.addr", "context.addr"])
    }
}
