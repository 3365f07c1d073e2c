import FoundationEssentials
import Foundation
import GatehouseTesting
import Glibc
import Testing

/// `gatehouse check` on today's template (clean) and on broken copies of it, one per rule: each broken copy must
/// produce its one line and exit 1 (a warning alone exits 0).
@Suite struct CheckCommandTests {
    typealias Object = [String: Any]

    /// Runs `gatehouse check` on template.json after `edit`, in a folder whose `Apps` is the repository's.
    static func check(_ edit: (inout Object) -> Void) throws -> (status: Int32, lines: [String]) {
        var template = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Repository.path("template.json")))) as! Object
        edit(&template)
        var folderTemplate = Array("/tmp/gatehouse-check-XXXXXX".utf8CString)
        let folder = String(cString: mkdtemp(&folderTemplate)!)
        symlink(Repository.path("Apps"), folder + "/Apps")
        try JSONSerialization.data(withJSONObject: template).write(to: URL(fileURLWithPath: folder + "/template.json"))
        let result = JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "check", "--template", folder + "/template.json"])
        return (result.status, result.out.split(separator: "\n").map(String.init))
    }

    /// Runs `gatehouse check` on today's template in a folder whose `Apps` is the repository's but for the
    /// wish-list app's policy files, edited by `edit` (file name → text).
    static func checkPolicies(_ edit: (inout [String: String]) -> Void) throws -> (status: Int32, lines: [String]) {
        var folderTemplate = Array("/tmp/gatehouse-check-XXXXXX".utf8CString)
        let folder = String(cString: mkdtemp(&folderTemplate)!)
        let files = FileManager.default
        try files.createDirectory(atPath: folder + "/Apps/WishList/policies", withIntermediateDirectories: true)
        for app in try files.contentsOfDirectory(atPath: Repository.path("Apps")) where app != "WishList" {
            symlink(Repository.path("Apps/" + app), folder + "/Apps/" + app)
        }
        symlink(Repository.path("Apps/WishList/Sources"), folder + "/Apps/WishList/Sources")
        var policies: [String: String] = [:]
        for name in try files.contentsOfDirectory(atPath: Repository.path("Apps/WishList/policies")) {
            policies[name] = try String(contentsOfFile: Repository.path("Apps/WishList/policies/" + name), encoding: .utf8)
        }
        edit(&policies)
        for (name, text) in policies { try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/Apps/WishList/policies/" + name)) }
        try files.copyItem(atPath: Repository.path("template.json"), toPath: folder + "/template.json")
        let result = JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "check", "--template", folder + "/template.json"])
        return (result.status, result.out.split(separator: "\n").map(String.init))
    }

    /// `template["Resources"][resource]["Properties"]`, edited in place.
    static func properties(_ template: inout Object, _ resource: String, _ edit: (inout Object) -> Void) {
        var resources = template["Resources"] as! Object
        var definition = resources[resource] as! Object
        var properties = definition["Properties"] as! Object
        edit(&properties)
        definition["Properties"] = properties
        resources[resource] = definition
        template["Resources"] = resources
    }

    /// The `Auth` of event `event` of function `function`, edited in place.
    static func eventAuth(_ template: inout Object, _ function: String, _ event: String, _ edit: @escaping (inout Object) -> Void) {
        properties(&template, function) { properties in
            var events = properties["Events"] as! Object
            var definition = events[event] as! Object
            var eventProperties = definition["Properties"] as! Object
            var auth = eventProperties["Auth"] as? Object ?? [:]
            edit(&auth)
            eventProperties["Auth"] = auth
            definition["Properties"] = eventProperties
            events[event] = definition
            properties["Events"] = events
        }
    }

    @Test func todaysTemplateIsClean() throws {
        let result = try Self.check { _ in }
        #expect(result.status == 0 && result.lines.isEmpty, "\(result.lines)")
    }

    @Test func anEventWithNoHandlerRoute() throws {
        let result = try Self.check { template in
            Self.properties(&template, "ProfileFunction") { properties in
                var events = properties["Events"] as! Object
                events["Typo"] = ["Type": "Api", "Properties": ["RestApiId": ["Ref": "RestApi"], "Method": "GET", "Path": "/profiles"]]
                properties["Events"] = events
            }
        }
        #expect(result.status == 1)
        #expect(result.lines == ["error: GET /profiles (ProfileFunction): no handler route of profile answers it (404 on AWS)"])
    }

    @Test func aHandlerRouteNoEventReaches() throws {
        let result = try Self.check { template in
            Self.properties(&template, "AuthFunction") { properties in
                var events = properties["Events"] as! Object
                events["Logout"] = nil
                properties["Events"] = events
            }
        }
        #expect(result.status == 1)
        #expect(result.lines == ["error: POST /logout (AuthFunction): no template event reaches this handler route"])
    }

    @Test func anAppWithNoFunction() throws {
        let result = try Self.check { template in
            var resources = template["Resources"] as! Object
            resources["ProfileFunction"] = nil
            template["Resources"] = resources
        }
        #expect(result.status == 1 && result.lines == ["error: app profile has no function in the template"])
    }

    @Test func aProtectedRouteBehindNoAuthorizer() throws {
        let result = try Self.check { Self.eventAuth(&$0, "WishListFunction", "AddToWishList") { $0["Authorizer"] = "NONE" } }
        #expect(result.status == 1)
        #expect(result.lines == ["error: POST /wish-list (WishListFunction): the handler requires scope write:wishlist "
                                 + "but no authorizer runs (every call 401 on AWS)"])
    }

    @Test func aTemplateScopeTheHandlerDoesNotRequire() throws {
        let result = try Self.check {
            Self.eventAuth(&$0, "WishListFunction", "AddToWishList") { $0["AuthorizationScopes"] = ["write:wishlist", "admin:all"] }
        }
        #expect(result.status == 1)
        #expect(result.lines == ["error: POST /wish-list (WishListFunction): AuthorizationScopes lists admin:all, "
                                 + "which the handler does not require"])
    }

    @Test func aLambdaAuthorizerWhoseFunctionIsNotAnAuthorizer() throws {
        let result = try Self.check { template in
            Self.properties(&template, "RestApi") { properties in
                var auth = properties["Auth"] as! Object
                var authorizers = auth["Authorizers"] as! Object
                var token = authorizers["TokenAuthorizer"] as! Object
                token["FunctionArn"] = ["Fn::GetAtt": ["ProfileFunction", "Arn"]]
                authorizers["TokenAuthorizer"] = token
                var request = authorizers["RequestAuthorizer"] as! Object
                request["FunctionArn"] = ["Fn::GetAtt": ["TokenAuthorizerFunction", "Arn"]]
                authorizers["RequestAuthorizer"] = request
                auth["Authorizers"] = authorizers
                properties["Auth"] = auth
            }
        }
        #expect(result.status == 1)
        #expect(result.lines.contains("error: ProfileFunction: a Lambda authorizer's function, but profile is not an authorizer app"))
        #expect(result.lines.contains("error: TokenAuthorizerFunction: a REQUEST authorizer's function, but token-authorizer "
                                      + "is a TOKEN authorizer"))
        #expect(result.lines.count == 2)
    }

    @Test func tablePoliciesAndTableVariablesMustAgree() throws {
        let result = try Self.check { template in
            Self.properties(&template, "WishListFunction") { properties in
                properties["Policies"] = [["DynamoDBCrudPolicy": ["TableName": ["Ref": "UsersTable"]]]]
            }
        }
        #expect(result.status == 1)
        #expect(result.lines == [
            "error: WishListFunction: TABLE_NAME names table WishListTable, but no policy grants access to it (AccessDeniedException on AWS)",
            "error: WishListFunction: its policy names table UsersTable, which no environment variable gives it",
        ])
    }

    @Test func aPublicHandlerRouteBehindAnAuthorizerIsAWarning() throws {
        let result = try Self.check { Self.eventAuth(&$0, "WishListFunction", "ListWishList") { $0["Authorizer"] = "GatehouseJwt" } }
        #expect(result.status == 0)
        #expect(result.lines == ["warning: GET /wish-list (WishListFunction): the handler is public but an authorizer guards "
                                 + "it (callers need a token the handler never reads)"])
    }

    @Test func badUsageExitsTwo() {
        #expect(JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "check", "--bogus", "x"]).status == 2)
        #expect(JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "check", "extra"]).status == 2)
        #expect(JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "check", "--template", "/nonexistent.json"]).status == 2)
    }

    @Test func aTemplateTheStackCannotEmulateIsAnError() throws {
        let result = try Self.check { Self.eventAuth(&$0, "ProfileFunction", "GetProfile") { $0["InvokeRole"] = "CALLER_CREDENTIALS" } }
        #expect(result.status == 1 && result.lines.count == 1 && result.lines[0].contains("InvokeRole"))
    }

    @Test func aPolicyNamingAnUndeclaredAttribute() throws {
        let result = try Self.checkPolicies { files in
            files["lists.cedar"] = files["lists.cedar"]!.replacingOccurrences(of: "principal.email", with: "principal.mail")
        }
        #expect(result.status == 1 && result.lines.count == 1, "\(result.lines)")
        #expect(result.lines.first?.hasPrefix("error: ") == true && result.lines.first?.hasSuffix("editors: User has no attribute mail") == true)
    }

    @Test func aRouteAskingAnActionTheSchemaDoesNotDeclare() throws {
        let result = try Self.checkPolicies { files in
            files["schema.cedarschema"] = files["schema.cedarschema"]!.replacingOccurrences(of: ", DeleteList", with: "")
            files["lists.cedar"] = files["lists.cedar"]!.replacingOccurrences(of: ",\n     Action::\"DeleteList\"]", with: "]")
        }
        // Two findings: the route's action, and the template's resources no longer those of the files.
        let action = result.lines.filter { $0.contains("asks action") }
        #expect(result.status == 1 && result.lines.count == 2 && action.count == 1, "\(result.lines)")
        #expect(action.first?.hasPrefix("error: DELETE /lists/{id} (wish-list): asks action DeleteList, which ") == true)
        #expect(action.first?.hasSuffix("Apps/WishList/policies does not declare") == true)
    }

    @Test func aPolicyChangedWithoutSyncingTheTemplate() throws {
        let result = try Self.checkPolicies { files in
            files["lists.cedar"] = files["lists.cedar"]!.replacingOccurrences(of: "// ReBAC: viewers see it.",
                                                                               with: "// ReBAC: viewers only see it.")
        }
        #expect(result.status == 1 && result.lines.count == 1, "\(result.lines)")
        #expect(result.lines.first?.hasPrefix("error: template: the Verified Permissions resources of ") == true)
        #expect(result.lines.first?.hasSuffix("(WishListPolicyViewers): run gatehouse sync-policies") == true)
    }

    /// A new route behind the policy authorizer needs its action in that app's schema: Verified Permissions would
    /// deny every call to a route no policy can name.
    @Test func aRouteBehindThePolicyAuthorizerWithoutItsAction() throws {
        let result = try Self.check { template in
            var resources = template["Resources"] as! Object
            var function = resources["ProfileFunction"] as! Object
            var properties = function["Properties"] as! Object
            var events = properties["Events"] as! Object
            var event = events["GetEdgeProfile"] as! Object
            var eventProperties = event["Properties"] as! Object
            eventProperties["Path"] = "/edge/profile-too"
            event["Properties"] = eventProperties
            events["GetEdgeProfileToo"] = event
            properties["Events"] = events
            function["Properties"] = properties
            resources["ProfileFunction"] = function
            template["Resources"] = resources
        }
        let missing = result.lines.filter { $0.contains("asks action") }
        #expect(result.status == 1 && missing.count == 1, "\(result.lines)")
        #expect(missing.first?.hasPrefix("error: GET /edge/profile-too (behind policy-authorizer): asks action "
            + "get /edge/profile-too, which ") == true)
        #expect(missing.first?.hasSuffix("Apps/PolicyAuthorizer/policies does not declare") == true)
    }

    /// What handlers build is held against the schema: the framework's principal and each action's resource sample.
    @Test func entitiesTheHandlersBuildThatTheSchemaDoesNotAllow() throws {
        let result = try Self.checkPolicies { files in
            files["schema.cedarschema"] = files["schema.cedarschema"]!
                .replacingOccurrences(of: "  editors: Set<String>,\n", with: "  editors: Set<String>,\n  colour: String,\n")
                .replacingOccurrences(of: "  email: String,\n", with: "  email: String,\n  department: String,\n")
        }
        let built = result.lines.filter { $0.contains("the handler builds") }
        #expect(result.status == 1 && built.count == 2, "\(result.lines)")
        #expect(built.contains { $0.hasPrefix("error: POST /lists (wish-list) principal: ") && $0.hasSuffix("User lacks its required attribute department") })
        #expect(built.contains { $0.hasPrefix("error: POST /lists (wish-list) resource: ") && $0.hasSuffix("List lacks its required attribute colour") })
    }
}
