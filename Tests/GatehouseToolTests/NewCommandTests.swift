import Foundation
import GatehouseTesting
import Glibc
import Testing

/// `gatehouse new` in a scratch copy of the repository's template, identities and apps: what it writes, and that a
/// refused name writes nothing. (CI's last step builds, tests and serves a new app in a real clone: .ci/new-app.)
@Suite struct NewCommandTests {
    /// A folder holding copies of template.json and dev/identities.json and an `Apps/` of links to the real apps.
    static func scratch() throws -> String {
        var template = Array("/tmp/gatehouse-new-XXXXXX".utf8CString)
        let folder = String(cString: mkdtemp(&template)!)
        let files = FileManager.default
        try files.createDirectory(atPath: folder + "/dev", withIntermediateDirectories: true)
        try files.createDirectory(atPath: folder + "/docs", withIntermediateDirectories: true)
        try files.copyItem(atPath: Repository.path("docs/authorization-matrix.md"), toPath: folder + "/docs/authorization-matrix.md")
        try files.createDirectory(atPath: folder + "/Apps", withIntermediateDirectories: true)
        try files.copyItem(atPath: Repository.path("template.json"), toPath: folder + "/template.json")
        try files.copyItem(atPath: Repository.path("dev/identities.json"), toPath: folder + "/dev/identities.json")
        for app in try files.contentsOfDirectory(atPath: Repository.path("Apps")) {
            symlink(Repository.path("Apps/" + app), folder + "/Apps/" + app)
        }
        return folder
    }

    static func new(_ arguments: String..., in folder: String) -> (status: Int32, out: String, err: String) {
        JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "new"] + arguments, directory: folder)
    }

    static func json(_ path: String) throws -> NSDictionary {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! NSDictionary
    }

    @Test func aNewAppIsWiredIntoTheTemplateAndTheDevIdentities() throws {
        let folder = try Self.scratch()
        let result = Self.new("greeting", "--authorizer", "jwt", "--scope", "read:greeting", in: folder)
        #expect(result.status == 0 && result.err.isEmpty)
        for file in ["Sources/Greeting/GreetingFunction.swift", "Sources/Greeting/Routes.swift", "Sources/Greeting/Scopes.swift",
                     "Sources/greeting/main.swift", "Tests/GreetingTests/GreetingRoutesTests.swift", "README.md"] {
            #expect(access(folder + "/Apps/Greeting/" + file, R_OK) == 0, "\(file)")
        }
        let routes = try String(contentsOfFile: folder + "/Apps/Greeting/Sources/Greeting/Routes.swift", encoding: .utf8)
        #expect(routes.contains(#"router.get("/greeting", requires: .scope(.readGreeting))"#))
        #expect(try String(contentsOfFile: folder + "/Apps/Greeting/Sources/greeting/main.swift", encoding: .utf8)
                == "import HTTP\nimport Greeting\nawait GreetingFunction.main()\n")

        // The template gains the function and its event on the HTTP API's JWT authorizer; nothing else changes.
        let before = try Self.json(Repository.path("template.json"))
        let after = try Self.json(folder + "/template.json")
        let resources = after["Resources"] as! NSDictionary
        let function = resources["GreetingFunction"] as! NSDictionary
        let properties = function["Properties"] as! NSDictionary
        #expect((properties["FunctionName"] as! NSDictionary)["Fn::Sub"] as? String == "${AWS::StackName}-greeting")
        let event = ((properties["Events"] as! NSDictionary)["GetGreeting"] as! NSDictionary)
        #expect(event["Type"] as? String == "HttpApi")
        let eventProperties = event["Properties"] as! NSDictionary
        #expect(eventProperties["Path"] as? String == "/greeting" && eventProperties["Method"] as? String == "GET")
        #expect((eventProperties["Auth"] as! NSDictionary)["Authorizer"] as? String == "GatehouseJwt")
        let trimmed = after.mutableCopy() as! NSMutableDictionary
        let trimmedResources = resources.mutableCopy() as! NSMutableDictionary
        trimmedResources.removeObject(forKey: "GreetingFunction")
        trimmed["Resources"] = trimmedResources
        #expect(trimmed == before)

        let clients = try Self.json(folder + "/dev/identities.json")["clients"] as! [NSDictionary]
        #expect(clients.first { $0["id"] as? String == "dev-service" }?["permissions"] as? [String]
                == ["read:profile", "write:wishlist", "read:greeting"])
        #expect(clients.first { $0["id"] as? String == "reader-service" }?["permissions"] as? [String] == ["read:profile"])

        // The decided matrix row, first (by path, as `gatehouse matrix` sorts them: /greeting < /login):
        // anonymous, dev-service, reader-service, ada, bob, ada's login, expired, other audience.
        let matrix = try String(contentsOfFile: folder + "/docs/authorization-matrix.md", encoding: .utf8)
        let row = "| GET /greeting | 401 gateway | 200 handler | 403 handler | 403 handler | 403 handler | 401 gateway "
            + "| 401 gateway | 401 gateway |"
        let lines = matrix.split(separator: "\n").map(String.init)
        let index = try #require(lines.firstIndex(of: row))
        #expect(lines[index - 1].hasPrefix("| --- |") && lines[index + 1].hasPrefix("| POST /login |"))
    }

    @Test(arguments: [("token", "TokenAuthorizer", "Api", "/hello"), ("request", "RequestAuthorizer", "Api", "/tenants/{tenantId}/hello"),
                      ("none", "NONE", "HttpApi", "/hello")])
    func eachAuthorizerPutsTheEventOnItsAPI(authorizer: String, name: String, type: String, path: String) throws {
        let folder = try Self.scratch()
        #expect(Self.new("hello", "--authorizer", authorizer, in: folder).status == 0)
        let function = (try Self.json(folder + "/template.json")["Resources"] as! NSDictionary)["HelloFunction"] as! NSDictionary
        let event = ((function["Properties"] as! NSDictionary)["Events"] as! NSDictionary)["GetHello"] as! NSDictionary
        let properties = event["Properties"] as! NSDictionary
        #expect(event["Type"] as? String == type && properties["Path"] as? String == path)
        #expect((properties["Auth"] as! NSDictionary)["Authorizer"] as? String == name)
        let routes = try String(contentsOfFile: folder + "/Apps/Hello/Sources/Hello/Routes.swift", encoding: .utf8)
        #expect(routes.contains(authorizer == "none" ? "requires: .public" : "requires: .scope(.readHello)"))
    }

    @Test(arguments: ["profile", "wish-list", "Greeting", "9lives", "a_b", "a--b", "runtime", "gatehouse", "x-"])
    func aRefusedNameChangesNothing(name: String) throws {
        let folder = try Self.scratch()
        let template = try Data(contentsOf: URL(fileURLWithPath: folder + "/template.json"))
        let identities = try Data(contentsOf: URL(fileURLWithPath: folder + "/dev/identities.json"))
        let matrix = try Data(contentsOf: URL(fileURLWithPath: folder + "/docs/authorization-matrix.md"))
        let apps = try FileManager.default.contentsOfDirectory(atPath: folder + "/Apps")
        let result = Self.new(name, "--scope", "read:x", in: folder)
        #expect(result.status == 1 && result.out.isEmpty)
        #expect(result.err.hasPrefix("gatehouse new: ") && result.err.split(separator: "\n").count == 1, "\(result.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/template.json")) == template)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/dev/identities.json")) == identities)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/docs/authorization-matrix.md")) == matrix)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/Apps") == apps)
    }

    @Test func badUsageExitsTwo() throws {
        let folder = try Self.scratch()
        #expect(Self.new("x", "--authorizer", "cognito", in: folder).status == 2)
        #expect(Self.new("x", "--authorizer", "none", "--scope", "read:x", in: folder).status == 2)
        #expect(Self.new(in: folder).status == 2)
    }
}
