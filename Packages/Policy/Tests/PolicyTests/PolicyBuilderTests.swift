import Testing
@testable import Policy

@Suite struct PolicyBuilderTests {
    let methodARN = ExecuteAPIARN("arn:aws:execute-api:eu-west-1:123456789012:api9/dev/GET/tenants/acme/wish-list")!

    @Test func arnParsesAndFormats() throws {
        #expect(methodARN.region == "eu-west-1" && methodARN.account == "123456789012")
        #expect(methodARN.apiID == "api9" && methodARN.stage == "dev" && methodARN.verb == "GET")
        #expect(methodARN.path == "tenants/acme/wish-list")
        #expect(methodARN.description == "arn:aws:execute-api:eu-west-1:123456789012:api9/dev/GET/tenants/acme/wish-list")
        #expect(ExecuteAPIARN("arn:aws:lambda:us-east-1:1:function:f") == nil)
        #expect(ExecuteAPIARN("arn:aws:execute-api:us-east-1:1:api") == nil)
        #expect(ExecuteAPIARN("arn:aws:execute-api:us-east-1:1:api/stage/GET/")?.path == "")
        let doubleSlash = "arn:aws:execute-api:us-east-1:1:api/stage/GET//items/?"
        #expect(ExecuteAPIARN(doubleSlash)?.description == doubleSlash)
        let colons = "arn:aws-cn:execute-api:cn-north-1:1:api/stage/*/a:b/c:d"
        #expect(ExecuteAPIARN(colons)?.path == "a:b/c:d" && ExecuteAPIARN(colons)?.description == colons)
        #expect(ExecuteAPIARN("arn:aws:execute-api:r:1:api/stage/GET")?.path == "")
        for refused in ["", "arn:aws:execute-api:r:1", "arn:aws:execute-api:r:1:api/stage", "arn:aws:execute-api:r:1:/stage/GET/x",
                        "arn:aws:execute-api:r:1:api//GET/x", "arn:aws:execute-api:r:1:api/stage//x", "nra:aws:execute-api:r:1:a/b/c"] {
            #expect(ExecuteAPIARN(refused) == nil, "\(refused)")
        }
    }

    @Test func pathTemplatesBecomeWildcards() throws {
        var builder = PolicyBuilder(methodARN: methodARN)
        try builder.allow("get", "/tenants/{tenantId}/wish-list")
        try builder.allow("POST", "/files/{proxy+}")
        try builder.deny("DELETE", "/*")
        let document = try builder.build()
        #expect(document.statements.count == 2)
        #expect(document.statements[0].resources == [
            "arn:aws:execute-api:eu-west-1:123456789012:api9/dev/GET/tenants/*/wish-list",
            "arn:aws:execute-api:eu-west-1:123456789012:api9/dev/POST/files/*",
        ])
        #expect(document.evaluate(resource: methodARN.description) == .allow)
        #expect(document.evaluate(resource: "arn:aws:execute-api:eu-west-1:123456789012:api9/dev/DELETE/x") == .explicitDeny)
    }

    @Test func neverAnAccidentalStar() throws {
        var builder = PolicyBuilder(methodARN: methodARN)
        #expect(throws: PolicyBuilder.Failure.self) { try builder.build() }
        #expect(throws: PolicyBuilder.Failure.self) { try builder.allow("FETCH", "/x") }
        #expect(throws: PolicyBuilder.Failure.self) { try builder.allow("GET", "x") }
        #expect(throws: PolicyBuilder.Failure.self) { try builder.allow("GET", "/a b") }
        builder.allowAllMethods()
        #expect(try builder.build().statements.flatMap(\.resources) == ["arn:aws:execute-api:eu-west-1:123456789012:api9/dev/*/*"])
        builder.allowAnyResource()
        #expect(try builder.build().statements.first?.resources == ["*"])
    }

    @Test func scopeRequirements() {
        let granted = ScopeSet(spaceSeparated: "read:profile  write:wishlist")
        #expect(granted.contains("write:wishlist") && !granted.contains("write:wishlist-admin"))
        #expect(ScopeRequirement.scope("write:wishlist").isSatisfied(by: granted))
        #expect(ScopeRequirement.allOf(["read:profile", "admin"]).missing(from: granted) == "admin")
        #expect(ScopeRequirement.anyOf(["admin", "read:profile"]).isSatisfied(by: granted))
        #expect(ScopeRequirement.anyOf(["admin", "root"]).missing(from: granted) == "admin")
        #expect(ScopeSet(["read:profile write:wishlist", "x"]).scopes.count == 3)
        #expect(granted.spaceSeparated == "read:profile write:wishlist")
        // A set: order and repeats make no difference.
        #expect(ScopeSet(spaceSeparated: "b a b") == ScopeSet(["a", "b"]) && ScopeSet(["a"]) != ScopeSet(["a", "b"]))
        #expect(ScopeSet(spaceSeparated: "b a b").scopes == ["a", "b"] && ScopeSet(spaceSeparated: " ").scopes.isEmpty)
    }
}
