import Testing
@testable import Cedar

/// The engine on small cases the corpus reaches only by chance: parse errors with their place, `like` patterns,
/// extension strings at their limits, templates, and the authorizer's answer.
@Suite struct CedarLanguageTests {
    static let alice = EntityUID(type: "User", id: "alice")
    static let view = EntityUID(type: "Action", id: "view")
    static let photo = EntityUID(type: "Photo", id: "p")

    func decide(_ text: String, context: [String: CedarValue] = [:],
                entities: CedarEntities = CedarEntities()) throws -> CedarPolicySet.Response {
        try CedarPolicySet(text: text).authorize(
            CedarRequest(principal: Self.alice, action: Self.view, resource: Self.photo, context: context), entities: entities)
    }

    func value(_ expression: String, context: [String: CedarValue] = [:]) throws -> Result<CedarValue, CedarEvaluationError> {
        var parser = try CedarParser(expression)
        let parsed = try parser.expression()
        let evaluator = CedarEvaluator(request: CedarRequest(principal: Self.alice, action: Self.view, resource: Self.photo,
                                                             context: context), entities: CedarEntities())
        return Result { () throws(CedarEvaluationError) in try evaluator.evaluate(parsed) }
    }

    @Test(arguments: [
        ("permit(principal, action, resource)", "1:36: expected ';'"),
        ("permit(principal, action, resource) when { };", "1:44: a condition needs an expression"),
        ("permit(principal, action, resource)\nwhen { 1 < 2 < 3 };", "2:14: expected '}'"),
        ("permit(principal, action, resource) when { foo(1) };", "1:44: unknown function foo"),
        ("permit(principal == ?resource, action, resource);", "1:21: ?resource cannot appear in this scope"),
        ("permit(principal, action, resource) when { 9223372036854775808 };", "1:44: integer literal out of range"),
        ("@id(\"a\") @id(\"b\") permit(principal, action, resource);", "1:11: duplicate annotation @id"),
        ("permit(principal, action, resource)\r\nwhen { \"abc\n };", "2:8: unterminated string"),
    ])
    func parseErrorsSayWhereAndWhat(text: String, expected: String) {
        #expect(throws: CedarParseError.self) { try CedarPolicySet(text: text) }
        do { _ = try CedarPolicySet(text: text) } catch { #expect(error.description == expected) }
    }

    /// Nothing an author writes exhausts a stack: expressions nested or chained past 200 levels are refused.
    @Test func deeplyNestedExpressionsAreRefusedNotOverflowed() throws {
        for text in [String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000),
                     String(repeating: "1 + ", count: 100_000) + "1", String(repeating: "!", count: 100_000) + "true",
                     String(repeating: "[", count: 100_000), "context" + String(repeating: ".a", count: 100_000),
                     String(repeating: "if true then ", count: 100_000) + "1 else 2"] {
            #expect(throws: CedarParseError.self) {
                try CedarPolicySet(text: "permit(principal, action, resource) when { \(text) };")
            }
        }
        _ = try CedarPolicySet(text: "permit(principal, action, resource) when { " + String(repeating: "1 + ", count: 150) + "1 };")
    }

    @Test func evaluationFollowsTheReference() throws {
        #expect(try value("-9223372036854775808").get() == .long(.min))
        #expect(try value("9223372036854775807 + 1") == .failure(.overflow))
        #expect(try value(#""a*b" like "a\*b""#).get() == .bool(true))
        #expect(try value(#""axxb" like "a*b""#).get() == .bool(true))
        #expect(try value(#""a*b" like "a\*c""#).get() == .bool(false))
        #expect(try value("false && (1 + true)").get() == .bool(false))  // short-circuit: no type error
        #expect(try value("true && 1") == .failure(.typeError("expected a bool, got a long")))
        #expect(try value("[1, 2] == [2, 1, 1]").get() == .bool(true))
        #expect(try value(#"{a: 1} == {"a": 1}"#).get() == .bool(true))
        #expect(try value("1 == \"1\"").get() == .bool(false))
        #expect(try value("context has a.b", context: ["a": .record(["b": .long(1)])]).get() == .bool(true))
        #expect(try value("context has a.c", context: ["a": .record(["b": .long(1)])]).get() == .bool(false))
        #expect(try value("context.missing") == .failure(.attributeDoesNotExist("missing")))
        #expect(try value(#"User::"bob".name"#) == .failure(.entityDoesNotExist(EntityUID(type: "User", id: "bob"))))
        #expect(try value(#"User::"bob" has name"#).get() == .bool(false))
    }

    @Test func extensionValuesAtTheirLimits() throws {
        #expect(CedarExtensions.decimal("922337203685477.5807") == .max)
        #expect(CedarExtensions.decimal("922337203685477.5808") == nil)
        #expect(CedarExtensions.decimal("-0.5") == -5000 && CedarExtensions.decimal("1.23456") == nil)
        #expect(CedarExtensions.decimal("1.") == nil && CedarExtensions.decimal("-.5") == nil && CedarExtensions.decimal("+1.0") == nil)
        #expect(CedarExtensions.ip("10.0.0.300") == nil && CedarExtensions.ip("01.0.0.1") == nil)
        #expect(CedarExtensions.ip("10.0.0.1") == CedarExtensions.ip("10.0.0.1/32"))
        #expect(CedarExtensions.ip("::1")?.address == 1 && CedarExtensions.ip("1::2::3") == nil)
        #expect(try value(#"ip("10.1.2.3").isInRange(ip("10.0.0.0/8"))"#).get() == .bool(true))
        #expect(try value(#"ip("::1").isLoopback() && ip("ff02::1").isMulticast()"#).get() == .bool(true))
        #expect(try value(#"decimal("1.5").lessThan(decimal("1.50"))"#).get() == .bool(false))
        #expect(try value(#"decimal("1.23456")"#) == .failure(.extensionError("malformed decimal 1.23456")))
        #expect(CedarDatetime.parse("1970-01-01") == 0 && CedarDatetime.parse("1970-01-02T00:00:00Z") == 86_400_000)
        #expect(CedarDatetime.parse("1970-01-01T01:00:00+0100") == 0)
        #expect(CedarDatetime.parse("2023-02-29") == nil && CedarDatetime.parse("2024-02-29") != nil)
        #expect(CedarDatetime.parse("1970-01-01T00:00:60Z") == nil && CedarDatetime.parse("1970-01-01T00:00:00+2400") == nil)
        #expect(CedarDatetime.duration("1d2h3m4s5ms") == 93_784_005 && CedarDatetime.duration("-1s") == -1000)
        #expect(CedarDatetime.duration("1s1d") == nil && CedarDatetime.duration("") == nil && CedarDatetime.duration("-") == nil)
        #expect(try value(#"datetime("1969-12-31T23:00:00Z").toDate() == datetime("1969-12-31")"#).get() == .bool(true))
        #expect(try value(#"datetime("1969-12-31T23:00:00Z").toTime() == duration("23h")"#).get() == .bool(true))
        #expect(try value(#"duration("1d") > duration("23h")"#).get() == .bool(true))
    }

    /// An extension value's literal (what Verified Permissions' `AttributeValue` carries) reads back as the same value.
    @Test(arguments: [("decimal", "-1.5"), ("decimal", "922337203685477.5807"), ("ip", "10.0.0.0/8"), ("ip", "192.168.1.7"),
                      ("ip", "::1"), ("ip", "2001:db8::/32"), ("datetime", "2024-10-15T11:35:00.123Z"),
                      ("datetime", "1969-12-31T23:59:59.999Z"), ("datetime", "2024-10-15"), ("duration", "-1d2h3m")])
    func extensionLiteralsReadBackAsTheSameValue(function: String, text: String) throws {
        func read(_ function: String, _ argument: String) throws -> CedarValue? {
            let document = #"[{"uid":{"type":"T","id":"x"},"attrs":{"v":{"__extn":{"fn":"\#(function)","arg":"\#(argument)"}}},"parents":[]}]"#
            return try CedarJSON.entities(Array(document.utf8))[EntityUID(type: "T", id: "x")]?.attributes["v"]
        }
        let value = try #require(try read(function, text))
        let literal = try #require(value.extensionLiteral)
        #expect(literal.name == (function == "ip" ? "ipaddr" : function))
        #expect(try read(function, literal.text) == value, "\(text) → \(literal.text)")
        #expect(CedarValue.string("x").extensionLiteral == nil)
    }

    @Test func forbidOverridesAndErrorsAreSkippedAndReported() throws {
        let response = try decide("""
            permit(principal, action, resource);
            forbid(principal == User::"alice", action, resource) when { context.risk > 5 };
            permit(principal, action == Action::"view", resource) when { context.nope };
            """, context: ["risk": .long(9)])
        #expect(!response.allowed && response.reasons == ["policy1"] && response.errors.map(\.id) == ["policy2"])
        #expect(try decide("permit(principal, action, resource) when { false };").reasons.isEmpty)
        // A template applies only through links: alone it decides nothing.
        #expect(try !decide("permit(principal == ?principal, action, resource);").allowed)
    }

    @Test func hierarchiesAreClosedOnceAndCyclesEnd() throws {
        let group = EntityUID(type: "Group", id: "g"), top = EntityUID(type: "Group", id: "top")
        let entities = CedarEntities([
            Self.alice: (CedarEntity(), [group]), group: (CedarEntity(), [top]), top: (CedarEntity(), [group]),
        ])
        #expect(try decide(#"permit(principal in Group::"top", action, resource);"#, entities: entities).allowed)
        #expect(try decide(#"permit(principal is User in Group::"g", action, resource);"#, entities: entities).allowed)
        #expect(try !decide(#"permit(principal is Group, action, resource);"#, entities: entities).allowed)
    }

    /// A request is checked against the schema before it is evaluated (unless it says `validateRequest: false`).
    @Test func requestsAreValidatedAgainstTheSchema() throws {
        let schema = try CedarSchema(text: """
            entity User; entity Photo;
            action view appliesTo { principal: [User], resource: [Photo], context: { ip: ipaddr, note?: String } };
            """)
        func problem(_ json: String) -> String? {
            do { _ = try CedarJSON.request(Array(json.utf8), schema: schema); return nil } catch { return "\(error)" }
        }
        let base = #""action":{"type":"Action","id":"view"},"resource":{"type":"Photo","id":"p"}"#
        #expect(problem(#"{"principal":{"type":"User","id":"a"},\#(base),"context":{"ip":"10.0.0.1"}}"#) == nil)
        #expect(problem(#"{"principal":{"type":"Photo","id":"a"},\#(base),"context":{"ip":"10.0.0.1"}}"#)?
            .contains("principal Photo::\"a\" is not of a type") == true)
        #expect(problem(#"{"principal":{"type":"User","id":"a"},\#(base),"context":{}}"#) != nil)  // ip is required
        #expect(problem(#"{"principal":{"type":"User","id":"a"},\#(base),"context":{"ip":"10.0.0.1","x":1}}"#) != nil)
        #expect(problem(#"{"principal":{"type":"User","id":"a"},\#(base),"context":{"ip":"10.0.0.1","note":5}}"#) != nil)
        #expect(problem(#"{"principal":{"type":"User","id":"a"},"action":{"type":"Action","id":"edit"},"resource":{"type":"Photo","id":"p"},"context":{}}"#)?
            .contains("is not declared") == true)
        #expect(problem(#"{"principal":{"type":"Photo","id":"a"},\#(base),"context":{},"validateRequest":false}"#) == nil)
    }

    /// A template decides nothing until linked; each link is a policy of its own, and the JSON format keeps the links.
    @Test func templatesApplyThroughTheirLinks() throws {
        var policies = try CedarPolicySet(text: """
            @id("share") permit(principal == ?principal, action == Action::"view", resource in ?resource);
            forbid(principal, action, resource == Photo::"secret");
            """)
        #expect(try !decide("permit(principal == ?principal, action, resource);").allowed)
        try policies.link(template: "policy0", as: "alice-p", principal: Self.alice, resource: Self.photo)
        let request = CedarRequest(principal: Self.alice, action: Self.view, resource: Self.photo)
        #expect(policies.authorize(request, entities: CedarEntities()).reasons == ["alice-p"])
        let bob = CedarRequest(principal: EntityUID(type: "User", id: "bob"), action: Self.view, resource: Self.photo)
        #expect(!policies.authorize(bob, entities: CedarEntities()).allowed)
        #expect(throws: CedarPolicySet.LinkError.self) {
            try policies.link(template: "policy0", as: "alice-p", principal: Self.alice, resource: Self.photo)  // id taken
        }
        #expect(throws: CedarPolicySet.LinkError.self) {
            try policies.link(template: "policy0", as: "x", principal: Self.alice, resource: nil)  // ?resource unfilled
        }
        #expect(throws: CedarPolicySet.LinkError.self) {
            try policies.link(template: "policy1", as: "y", principal: Self.alice, resource: nil)  // not a template
        }
        let json = policies.jsonBytes
        let back = try CedarPolicySet(json: json)
        #expect(back.jsonBytes == json && back.authorize(request, entities: CedarEntities()).reasons == ["alice-p"])
        #expect(String(decoding: json, as: UTF8.self).contains(#""templateLinks":[{"newId":"alice-p","templateId":"policy0""#))
    }
}
