import JSON
import Foundation
import Glibc

/// `gatehouse new NAME [--authorizer jwt|token|request|none] [--scope SCOPE] [--policy]`: a new app under `Apps/`, its
/// line in Package.swift, its function and event in template.json, SCOPE granted to `dev-service` in dev/identities.json, and the route's decided
/// row in docs/authorization-matrix.md. With `--policy` the route is decided by Cedar policies instead of a scope: a
/// resource type, its action, a schema and a starting policy file, and their Verified Permissions resources in the
/// template. Everything is computed and checked before the first write, so a refused name
/// changes nothing. Run at the repository's root.
enum NewCommand {
    /// Names taken by the framework's own executables and modules.
    static let reserved: Set<String> = [
        "gatehouse", "gatehouse-bench", "runtime-echo", "storage-writer", "shared", "http", "policy", "runtime", "jwt",
        "storage", "sessions", "transport", "local-stack", "example-tokens", "http-testing", "storage-testing",
        "gatehouse-testing",
    ]

    static func run(_ arguments: [String]) async -> Int32 {
        var scaffold: AppScaffold
        let decidedByPolicies: Bool
        do throws(CommandLineOptions.UsageError) {
            let options = try CommandLineOptions(arguments, known: ["authorizer", "scope", "route", "grant"],
                                                 flags: ["policy", "table"])
            guard options.positional.count == 1 else { throw .init(message: "one NAME is required") }
            let kind = options.values["authorizer"]?.last ?? "jwt"
            guard let authorizer = AppScaffold.Authorizer(rawValue: kind) else {
                throw .init(message: "--authorizer must be jwt, token, request or none, not \(kind)")
            }
            let name = options.positional[0]
            decidedByPolicies = options.setFlags.contains("policy")
            if decidedByPolicies, authorizer != .jwt || options.values["scope"] != nil {
                throw .init(message: "--policy makes a JWT-authorized route decided by policies: no --scope, no other --authorizer")
            }
            if decidedByPolicies, options.values["route"] != nil || options.values["grant"] != nil || options.setFlags.contains("table") {
                throw .init(message: "--policy makes one GET route; --route, --table and --grant are for a service decided by scopes")
            }
            let scope = authorizer == .none || decidedByPolicies ? nil : options.values["scope"]?.last ?? "read:\(name)"
            if authorizer == .none, options.values["scope"] != nil { throw .init(message: "a public route takes no --scope") }
            if authorizer == .none, options.values["grant"] != nil { throw .init(message: "a public route grants nothing: no --grant") }
            scaffold = AppScaffold(name: name, authorizer: authorizer, scope: scope)
            scaffold.table = options.setFlags.contains("table")
            scaffold.grants = options.values["grant"] ?? []
            do {
                scaffold.routesGiven = try (options.values["route"] ?? []).map(ScaffoldRoute.init)
            } catch {
                throw .init(message: error.reason)
            }
            let names = scaffold.serviceRoutes.map(\.name)
            if Set(names).count != names.count { throw .init(message: "a --route is given twice") }
            if scaffold.serviceRoutes.contains(where: \.isTenant), authorizer == .none || authorizer == .token {
                throw .init(message: "a {tenantId} route checks the caller's tenant: use --authorizer jwt or request")
            }
            if authorizer == .request, let route = scaffold.serviceRoutes.first(where: { !$0.isTenant }) {
                throw .init(message: "the REQUEST authorizer guards tenant paths: \(route.name) has no {tenantId}")
            }
        } catch {
            writeLine("gatehouse new: \(error.message)\n\(usage(of: "new"))", to: .error)
            return 2
        }
        do {
            let writes = try plan(&scaffold, decidedByPolicies: decidedByPolicies)
            for (path, text) in writes {
                mkdirs(String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]))
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            }
            let access = scaffold.policy.map { "asks \($0.action) of policies/" } ?? scaffold.scope.map { "requires \($0)" } ?? "public"
            let routes = scaffold.policy == nil ? scaffold.serviceRoutes.map(\.name).joined(separator: ", ") : "GET \(scaffold.path)"
            let addition = TemplateAddition(scaffold: scaffold)
            writeLine("created Apps/\(scaffold.typeName)/ (\(routes), \(access)), added its line to Package.swift "
                      + "and \(addition.logicalID)\(scaffold.table ? " and \(addition.tableID)" : "") to template.json"
                      + (scaffold.scope == nil ? "" : ", granted \(scaffold.scope!) to \((["dev-service"] + scaffold.grants).joined(separator: ", "))"),
                      to: .standard)
            return 0
        } catch let refusal as Refusal {
            writeLine("gatehouse new: \(refusal.reason)", to: .error)
            return 1
        } catch {
            writeLine("gatehouse new: \(error)", to: .error)
            return 1
        }
    }

    struct Refusal: Error { let reason: String }

    /// Every file to write, or a refusal; nothing is written here.
    static func plan(_ scaffold: inout AppScaffold, decidedByPolicies: Bool) throws -> [(String, String)] {
        let name = scaffold.name
        guard name.range(of: "^[a-z][a-z0-9]*(-[a-z0-9]+)*$", options: .regularExpression) != nil, name.count <= 40 else {
            throw Refusal(reason: "\(name) is not a valid name: lowercase words joined by '-', starting with a letter")
        }
        let typeName = scaffold.typeName
        guard !reserved.contains(name), !reserved.contains(typeName.lowercased()) else {
            throw Refusal(reason: "\(name) is a name the framework uses")
        }
        let existing = CheckCommand.discoveredApps(besides: "template.json")
        guard !existing.contains(name), access("Apps/\(typeName)", F_OK) != 0 else {
            throw Refusal(reason: "an app named \(name) exists already (Apps/\(typeName))")
        }
        guard let template = try? String(contentsOfFile: "template.json", encoding: .utf8),
              let identities = try? String(contentsOfFile: "dev/identities.json", encoding: .utf8)
        else { throw Refusal(reason: "run it at the repository's root: template.json and dev/identities.json are needed") }
        if decidedByPolicies { try preparePolicies(&scaffold, identities: identities) }
        let addition = TemplateAddition(scaffold: scaffold)
        guard (try? JSONDecoder().decode(JSONValue.self, from: Data(template.utf8)))?.objectValue?["Resources"]?
            .objectValue?[addition.logicalID] == nil
        else { throw Refusal(reason: "template.json has a resource \(addition.logicalID) already") }
        guard var newTemplate = addition.inserting(into: template),
              (try? JSONDecoder().decode(JSONValue.self, from: Data(newTemplate.utf8)))?.objectValue?["Resources"]?
                .objectValue?[addition.logicalID] != nil
        else { throw Refusal(reason: "template.json has no \"Resources\": { to add the function to") }
        if let policy = scaffold.policy {
            // The store and policies as `gatehouse sync-policies` writes them, from the texts about to be written.
            let resources = try PolicyResources(folder: scaffold.typeName, schema: policy.schema,
                                                files: [(scaffold.name + ".cedar", policy.text)])
            for resource in resources.resources {
                newTemplate = TemplateText.settingResource(resource.id, to: resource.body, in: newTemplate) ?? newTemplate
            }
        }
        // The app's line in Package.swift: the build knows an app, and what it imports, from its line.
        guard let manifestText = try? String(contentsOfFile: "Package.swift", encoding: .utf8) else {
            throw Refusal(reason: "run it at the repository's root: Package.swift is needed")
        }
        let files = scaffold.files
        let entry = AppManifest(text: manifestText).entry(
            name: typeName, executable: name,
            library: files.filter { $0.0.hasPrefix("Apps/\(typeName)/Sources/") && $0.0.hasSuffix(".swift") }.map(\.1),
            tests: files.filter { $0.0.hasPrefix("Apps/\(typeName)/Tests/") }.map(\.1))
        guard let newManifest = AppManifest.adding(entry, to: manifestText) else {
            throw Refusal(reason: "Package.swift has no `let apps: [App] = [` list to add the app's line to")
        }
        var writes = files + [("Package.swift", newManifest), ("template.json", newTemplate)]
        var newIdentities = identities
        if let scope = scaffold.scope {
            guard var granted = granting(scope, to: "dev-service", in: identities) else {
                throw Refusal(reason: "dev/identities.json has no dev-service client with a permissions list")
            }
            for email in scaffold.grants {
                guard let withUser = granting(scope, to: email, in: granted) else {
                    throw Refusal(reason: "dev/identities.json has no user \(email.prefix(80)) to grant \(scope) to")
                }
                granted = withUser
            }
            newIdentities = granted
            writes.append(("dev/identities.json", granted))
        }
        // The route's decided row in the authorization matrix, when the project keeps one.
        let matrixPath = "docs/authorization-matrix.md"
        if let matrix = try? String(contentsOfFile: matrixPath, encoding: .utf8) {
            guard let rows = MatrixRow(scaffold: scaffold).rows(identities: newIdentities),
                  let withRows = rows.reduce(Optional(matrix), { document, row in document.flatMap { MatrixRow.inserting(row, into: $0) } })
            else { throw Refusal(reason: "\(matrixPath) has no table between its matrix markers to add the routes to") }
            writes.append((matrixPath, withRows))
        }
        return writes
    }

    /// The policies of the scaffold: the sample record's owner is the first dev user (as the dev identity provider
    /// names its subject), in that user's tenant.
    private static func preparePolicies(_ scaffold: inout AppScaffold, identities: String) throws {
        struct Identities: Decodable { struct User: Decodable { var email: String; var claims: [String: String] }; var users: [User] }
        guard let first = (try? JSONDecoder().decode(Identities.self, from: Data(identities.utf8)))?.users.first,
              let tenant = first.claims.first(where: { $0.key.lowercased().hasSuffix("tenant") })?.value
        else { throw Refusal(reason: "dev/identities.json has no user with a tenant claim to own the sample record") }
        scaffold.policy = try PolicyScaffold(typeName: scaffold.typeName, owner: "auth0|" + first.email, tenant: tenant)
    }

    /// `identities` with `scope` appended to the permissions of the client or user `id` (a client's `id`, a user's
    /// `email`) unless it holds it, edited as text so the file keeps its layout; nil when the result would not say so.
    static func granting(_ scope: String, to id: String, in identities: String) -> String? {
        func quoted(_ text: String) -> String { OrderedJSON.string(text).rendered(indent: 2) }
        let key = id.contains("@") ? "email" : "id"
        guard let entry = identities.range(of: "\"\(key)\": \(quoted(id))"),
              let list = identities.range(of: "\"permissions\": [", range: entry.upperBound..<identities.endIndex),
              let end = identities.range(of: "]", range: list.upperBound..<identities.endIndex)
        else { return nil }
        let current = identities[list.upperBound..<end.lowerBound]
        if current.contains(quoted(scope)) { return identities }
        let separator = current.trimmingCharacters(in: .whitespaces).isEmpty ? "" : ", "
        let edited = String(identities[..<end.lowerBound]) + separator + quoted(scope) + String(identities[end.lowerBound...])
        struct Identities: Decodable {
            struct Entry: Decodable { var id: String?; var email: String?; var permissions: [String] }
            var clients: [Entry]
            var users: [Entry]
        }
        guard let parsed = try? JSONDecoder().decode(Identities.self, from: Data(edited.utf8)) else { return nil }
        let holder = (parsed.clients + parsed.users).first { ($0.id ?? $0.email) == id }
        return holder?.permissions.contains(scope) == true ? edited : nil
    }

    private static func mkdirs(_ path: String) {
        var partial = ""
        for component in path.split(separator: "/") {
            partial += (partial.isEmpty && !path.hasPrefix("/") ? "" : "/") + component
            mkdir(partial, 0o755)
        }
    }
}
