import Foundation
import GatehouseTesting
import Glibc
import Testing

/// `gatehouse new` in a scratch copy of the repository's template, identities and apps: what it writes, and that a
/// refused name writes nothing. (CI's last step builds, tests and serves a new app in a real clone: .ci/new-app.)
@Suite struct NewCommandTests {
    /// A folder holding copies of Package.swift, template.json and dev/identities.json and an `Apps/` of links to the
    /// real apps.
    static func scratch() throws -> String {
        var template = Array("/tmp/gatehouse-new-XXXXXX".utf8CString)
        let folder = String(cString: mkdtemp(&template)!)
        let files = FileManager.default
        try files.createDirectory(atPath: folder + "/dev", withIntermediateDirectories: true)
        try files.createDirectory(atPath: folder + "/docs", withIntermediateDirectories: true)
        try files.copyItem(atPath: Repository.path("docs/authorization-matrix.md"), toPath: folder + "/docs/authorization-matrix.md")
        try files.createDirectory(atPath: folder + "/Apps", withIntermediateDirectories: true)
        try files.copyItem(atPath: Repository.path("template.json"), toPath: folder + "/template.json")
        try files.copyItem(atPath: Repository.path("Package.swift"), toPath: folder + "/Package.swift")
        try files.copyItem(atPath: Repository.identities, toPath: folder + "/dev/identities.json")
        for app in try files.contentsOfDirectory(atPath: Repository.path("Apps")) {
            symlink(Repository.path("Apps/" + app), folder + "/Apps/" + app)
        }
        return folder
    }

    static func new(_ arguments: String..., in folder: String) -> (status: Int32, out: String, err: String) {
        new(arguments, in: folder)
    }

    static func new(_ arguments: [String], in folder: String) -> (status: Int32, out: String, err: String) {
        JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "new"] + arguments, directory: folder)
    }

    static func json(_ path: String) throws -> NSDictionary {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! NSDictionary
    }

    @Test func aNewAppIsWiredIntoTheTemplateAndTheDevIdentities() throws {
        let folder = try Self.scratch()
        let result = Self.new("probe", "--authorizer", "jwt", "--scope", "read:probe", in: folder)
        #expect(result.status == 0 && result.err.isEmpty)
        for file in ["Sources/Probe/ProbeFunction.swift", "Sources/Probe/Routes.swift", "Sources/Probe/Scopes.swift",
                     "Sources/probe/main.swift", "Tests/ProbeTests/ProbeRoutesTests.swift", "README.md"] {
            #expect(access(folder + "/Apps/Probe/" + file, R_OK) == 0, "\(file)")
        }
        let routes = try String(contentsOfFile: folder + "/Apps/Probe/Sources/Probe/Routes.swift", encoding: .utf8)
        #expect(routes.contains(#"router.get("/probe", requires: .scope(.readProbe))"#))
        #expect(try String(contentsOfFile: folder + "/Apps/Probe/Sources/probe/main.swift", encoding: .utf8)
                == "import HTTP\nimport Probe\nawait ProbeFunction.main()\n")

        // Its line in Package.swift, last in `apps`, naming what its sources import; the check then finds nothing.
        let manifest = try String(contentsOfFile: folder + "/Package.swift", encoding: .utf8)
        let originalManifest = try String(contentsOfFile: Repository.path("Package.swift"), encoding: .utf8)
        let line = #"    App("Probe", executable: "probe", imports: ["HTTP", "Policy", "Runtime"]),"#
        #expect(manifest.contains(line + "\n]\n") && manifest.replacingOccurrences(of: line + "\n", with: "") == originalManifest)
        let check = JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "check", "--manifest"], directory: folder)
        #expect(check.status == 0 && check.out.isEmpty, "\(check.out)")
        // An import its line does not name: the check prints the line to write.
        let routesFile = folder + "/Apps/Probe/Sources/Probe/Routes.swift"
        try Data(("import Storage\n" + routes).utf8).write(to: URL(fileURLWithPath: routesFile))
        let stale = JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "check", "--manifest"], directory: folder)
        #expect(stale.status == 1 && stale.out == "error: Package.swift: Probe imports Storage but its line does not name it; "
                + "write\n" + line.replacingOccurrences(of: #""Runtime"]"#, with: #""Runtime", "Storage"]"#) + "\n")
        try Data(routes.utf8).write(to: URL(fileURLWithPath: routesFile))

        // The template gains the function and its event on the HTTP API's JWT authorizer; nothing else changes.
        let before = try Self.json(Repository.path("template.json"))
        let after = try Self.json(folder + "/template.json")
        let resources = after["Resources"] as! NSDictionary
        let function = resources["ProbeFunction"] as! NSDictionary
        let properties = function["Properties"] as! NSDictionary
        #expect((properties["FunctionName"] as! NSDictionary)["Fn::Sub"] as? String == "${AWS::StackName}-probe")
        let event = ((properties["Events"] as! NSDictionary)["GetProbe"] as! NSDictionary)
        #expect(event["Type"] as? String == "HttpApi")
        let eventProperties = event["Properties"] as! NSDictionary
        #expect(eventProperties["Path"] as? String == "/probe" && eventProperties["Method"] as? String == "GET")
        #expect((eventProperties["Auth"] as! NSDictionary)["Authorizer"] as? String == "GatehouseJwt")
        let trimmed = after.mutableCopy() as! NSMutableDictionary
        let trimmedResources = resources.mutableCopy() as! NSMutableDictionary
        trimmedResources.removeObject(forKey: "ProbeFunction")
        trimmed["Resources"] = trimmedResources
        #expect(trimmed == before)

        func permissions(_ path: String, _ client: String) throws -> [String]? {
            (try Self.json(path)["clients"] as! [NSDictionary]).first { $0["id"] as? String == client }?["permissions"] as? [String]
        }
        let original = Repository.identities
        #expect(try permissions(folder + "/dev/identities.json", "dev-service") == (try permissions(original, "dev-service") ?? []) + ["read:probe"])
        #expect(try permissions(folder + "/dev/identities.json", "reader-service") == (try permissions(original, "reader-service")))

        // The decided matrix row (anonymous, dev-service, reader-service, ada, bob, carol, dana, ada's login, expired,
        // other audience, ada through the dev user pool, ada's DPoP-bound token with proofs and stolen, the dev IAM
        // identity), among the others in the order `gatehouse matrix` prints them: by path, then method.
        let matrix = try String(contentsOfFile: folder + "/docs/authorization-matrix.md", encoding: .utf8)
        let row = "| GET /probe | 401 gateway | 200 handler | 403 handler | 403 handler | 403 handler | 403 handler "
            + "| 403 handler | 401 gateway | 401 gateway | 401 gateway | 401 gateway | 401 gateway | 401 handler | 401 gateway |"
        let lines = matrix.split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("| ") && !$0.hasPrefix("| route") && !$0.hasPrefix("| ---") }
        #expect(lines.contains(row))
        let keys = lines.map { line -> [String] in
            let route = line.split(separator: "|")[0].split(separator: " ").map(String.init)
            return [route[1], route[0]]
        }
        #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test(arguments: [("token", "TokenAuthorizer", "Api", "/probe"), ("request", "RequestAuthorizer", "Api", "/tenants/{tenantId}/probe"),
                      ("none", "NONE", "HttpApi", "/probe")])
    func eachAuthorizerPutsTheEventOnItsAPI(authorizer: String, name: String, type: String, path: String) throws {
        let folder = try Self.scratch()
        #expect(Self.new("probe", "--authorizer", authorizer, in: folder).status == 0)
        let function = (try Self.json(folder + "/template.json")["Resources"] as! NSDictionary)["ProbeFunction"] as! NSDictionary
        let event = ((function["Properties"] as! NSDictionary)["Events"] as! NSDictionary)["GetProbe"] as! NSDictionary
        let properties = event["Properties"] as! NSDictionary
        #expect(event["Type"] as? String == type && properties["Path"] as? String == path)
        #expect((properties["Auth"] as! NSDictionary)["Authorizer"] as? String == name)
        let routes = try String(contentsOfFile: folder + "/Apps/Probe/Sources/Probe/Routes.swift", encoding: .utf8)
        #expect(routes.contains(authorizer == "none" ? "requires: .public" : "requires: .scope(.readProbe)"))
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

    @Test func aPolicyAppGetsItsPoliciesTheirResourcesAndItsDecidedRow() throws {
        let folder = try Self.scratch()
        #expect(Self.new("vault", "--policy", in: folder).status == 0)
        let policies = try String(contentsOfFile: folder + "/Apps/Vault/policies/vault.cedar", encoding: .utf8)
        #expect(policies.contains(#"@id("owner")"#) && policies.contains(#"@id("same-tenant")"#))
        let resources = try Self.json(folder + "/template.json")["Resources"] as! NSDictionary
        #expect(resources["VaultPolicyStore"] != nil && resources["VaultPolicyOwner"] != nil && resources["VaultPolicySameTenant"] != nil)
        let routes = try String(contentsOfFile: folder + "/Apps/Vault/Sources/Vault/Routes.swift", encoding: .utf8)
        #expect(routes.contains("requires: .authenticated, asks: [.viewVault]") && routes.contains("context.authorize(.viewVault, on: record)"))
        // The decided row: ada owns the sample record; no one else of acme may see it; no one outside acme.
        let matrix = try String(contentsOfFile: folder + "/docs/authorization-matrix.md", encoding: .utf8)
        #expect(matrix.contains("| GET /vault | 401 gateway | 403 policy (same-tenant) | 403 policy (same-tenant) | 200 handler (owner) "
            + "| 403 policy (same-tenant) | 403 policy | 403 policy | 401 gateway | 401 gateway | 401 gateway | 401 gateway | 401 gateway "
            + "| 401 handler | 401 gateway |"))
        #expect(Self.new("other", "--policy", "--scope", "read:x", in: folder).status == 2)
        #expect(Self.new("other", "--policy", "--authorizer", "token", in: folder).status == 2)
    }

    /// A service in one command: its routes, its table and store, the scope granted to a dev user, a row per route.
    @Test func aServiceGetsItsRoutesItsTableAndItsGrants() throws {
        let folder = try Self.scratch()
        let result = Self.new("ledger", "--route", "GET /tenants/{tenantId}/ledger", "--route", "POST /tenants/{tenantId}/ledger",
                              "--route", "DELETE /tenants/{tenantId}/ledger/{entryId}", "--table", "--scope", "write:ledger",
                              "--grant", "ada@example.com", in: folder)
        #expect(result.status == 0 && result.err.isEmpty, "\(result.err)")
        let library = folder + "/Apps/Ledger/Sources/Ledger/"
        let routes = try String(contentsOfFile: library + "Routes.swift", encoding: .utf8)
        #expect(routes.contains(#"router.delete("/tenants/{tenantId}/ledger/{entryId}", requires: .scope(.writeLedger)"#))
        #expect(routes.contains("let partition = try tenant(of: request, context)"))
        #expect(access(library + "LedgerStore.swift", R_OK) == 0 && access(library + "LedgerItem.swift", R_OK) == 0)
        let manifest = try String(contentsOfFile: folder + "/Package.swift", encoding: .utf8)
        #expect(manifest.contains(#"App("Ledger", executable: "ledger", imports: ["HTTP", "Policy", "Runtime", "Storage"]),"#))

        // The template: the table, and the function's three events, table variable and policy.
        let resources = try Self.json(folder + "/template.json")["Resources"] as! NSDictionary
        #expect((resources["LedgerTable"] as! NSDictionary)["Type"] as? String == "AWS::DynamoDB::Table")
        let properties = (resources["LedgerFunction"] as! NSDictionary)["Properties"] as! NSDictionary
        let events = properties["Events"] as! NSDictionary
        #expect(Set(events.allKeys as! [String]) == ["GetLedger", "PostLedger", "DeleteLedgerEntryId"])
        let variables = (properties["Environment"] as! NSDictionary)["Variables"] as! NSDictionary
        #expect((variables["TABLE_NAME"] as! NSDictionary)["Ref"] as? String == "LedgerTable")
        #expect(((properties["Policies"] as! [NSDictionary])[0]["DynamoDBCrudPolicy"] as? NSDictionary) != nil)

        // ada holds the scope now (and dev-service); bob does not.
        let users = try Self.json(folder + "/dev/identities.json")["users"] as! [NSDictionary]
        func permissions(_ email: String) -> [String] { users.first { $0["email"] as? String == email }?["permissions"] as? [String] ?? [] }
        #expect(permissions("ada@example.com").contains("write:ledger") && !permissions("bob@example.com").contains("write:ledger"))

        // A row per route: ada (acme) is served; dev-service holds the scope but has no tenant; bob is of another tenant.
        let matrix = try String(contentsOfFile: folder + "/docs/authorization-matrix.md", encoding: .utf8)
        for (route, status) in [("GET /tenants/{tenantId}/ledger", 200), ("POST /tenants/{tenantId}/ledger", 201),
                                ("DELETE /tenants/{tenantId}/ledger/{entryId}", 204)] {
            #expect(matrix.contains("| \(route) | 401 gateway | 403 handler | 403 handler | \(status) handler | 403 handler |"))
        }
    }

    @Test(arguments: [
        (["--route", "PUT /ledger"], "is not METHOD PATH"), (["--route", "GET ledger"], "must be /segments"),
        (["--route", "GET /ledger", "--route", "GET /ledger"], "given twice"),
        (["--authorizer", "token", "--route", "GET /tenants/{tenantId}/ledger"], "use --authorizer jwt or request"),
        (["--authorizer", "request", "--route", "GET /ledger"], "has no {tenantId}"),
        (["--policy", "--table"], "--policy makes one GET route"),
    ])
    func aRouteTheScaffoldCannotMakeIsRefused(arguments: [String], reason: String) throws {
        let folder = try Self.scratch()
        let result = Self.new(["ledger"] + arguments, in: folder)
        #expect(result.status == 2 && result.err.contains(reason), "\(result.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/Apps").allSatisfy { $0 != "Ledger" })
    }

    @Test func aGrantToAnUnknownUserChangesNothing() throws {
        let folder = try Self.scratch()
        let result = Self.new("ledger", "--scope", "write:ledger", "--grant", "nobody@example.com", in: folder)
        #expect(result.status == 1 && result.err == "gatehouse new: dev/identities.json has no user nobody@example.com to grant write:ledger to\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/Apps").allSatisfy { $0 != "Ledger" })
    }
}
