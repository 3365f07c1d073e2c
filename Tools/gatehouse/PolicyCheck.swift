import Cedar
import HTTP
import JSON
import LocalStack
import Policy

/// `gatehouse check`'s policy rules: each app's `policies/` folder loads as its function would load it (every policy
/// valid against the schema in strict mode), every action a route asks (`asks:`) is declared in that schema — so a
/// policy or a route that could never be decided fails before deploy, not at init on AWS — and the template's
/// Verified Permissions resources are the policy files' (`gatehouse sync-policies` writes them). An authorizer app
/// with policies decides routes at the edge (`RoutePolicies`): every route it guards must be an action its schema
/// declares (`"get /edge/profile"`), or every call to that route would be denied. And what handlers build — the
/// principal and the resources they ask about — must fit the schema, or every decision on them fails.
struct PolicyCheck {
    /// The folder holding `Apps/`.
    let root: String
    let descriptions: [String: FunctionDescription]
    /// The template, as JSON and as the stack reads it.
    let document: JSONValue
    let template: LocalTemplate

    func findings() -> [AccessCheck.Finding] {
        var findings: [AccessCheck.Finding] = []
        for (folder, executables) in AppFolders.executables(in: root).sorted(by: { $0.key < $1.key }) {
            let directory = (root == "." ? "" : root + "/") + "Apps/" + folder + "/policies"
            let asked = executables.flatMap { executable -> [(String, String)] in
                guard case .routes(let routes)? = descriptions[executable] else { return [] }
                return routes.flatMap { route in route.actions.map { ("\(route.method) \(route.path) (\(executable))", $0) } }
            }
            let policies: EmbeddedPolicies
            do {
                policies = try EmbeddedPolicies(directory: directory)
            } catch {
                // An app without a policies folder is fine until one of its routes asks an action.
                if EmbeddedPolicies.hasFolder(directory) || !asked.isEmpty {
                    findings.append(AccessCheck.Finding(isError: true, text: "\(error)"))
                }
                continue
            }
            findings += templateFindings(folder: folder, directory: directory)
            findings += entityFindings(executables, schema: policies.schema, directory: directory)
            let declared = Set(policies.schema.declaredActions.filter { $0.type.hasSuffix("Action") }.map(\.id))
            for (place, action) in asked + edgeActions(guardedBy: Set(executables)) where !declared.contains(action) {
                findings.append(AccessCheck.Finding(isError: true, text: "\(place): asks action \(action), which "
                    + "\(directory) does not declare"))
            }
        }
        return findings
    }

    /// What the handlers of `executables` build, against the schema: the framework's principal (`PolicyEntity(caller:)`,
    /// with a group) once the app asks any action, and each action's resource sample (`PolicyResource.policySample`).
    private func entityFindings(_ executables: [String], schema: CedarSchema, directory: String) -> [AccessCheck.Finding] {
        var built: [(place: String, uid: EntityUID, attributes: [String: CedarValue], parents: [EntityUID])] = []
        for executable in executables {
            guard case .routes(let routes)? = descriptions[executable] else { continue }
            for route in routes where !route.actions.isEmpty {
                let place = "\(route.method) \(route.path) (\(executable))"
                if built.isEmpty {
                    let caller = Caller(subject: "sample", scopes: ScopeSet([]),
                                        claims: ["tenant": "acme", "email": "ada@example.com", "groups": "editors"], source: .jwt)
                    let principal = PolicyEntity(caller: caller)
                    built.append((place + " principal", principal.uid, principal.attributes, principal.parents))
                }
                for resource in route.resources {
                    guard let uid = resource.objectValue?["uid"].flatMap(Self.uid),
                          let read = try? CedarJSON.entities(Array(JSONValue.array([resource]).jsonText.utf8), schema: schema),
                          let entity = read[uid] else { continue }
                    let parents = (resource.objectValue?["parents"]?.arrayValue ?? []).compactMap(Self.uid)
                    built.append((place + " resource", uid, entity.attributes, parents))
                }
            }
        }
        var reported: Set<String> = []
        return built.compactMap { place, uid, attributes, parents in
            guard let problem = schema.problem(withEntity: uid, attributes: attributes, parents: parents),
                  reported.insert(problem).inserted else { return nil }
            return AccessCheck.Finding(isError: true, text: "\(place): the handler builds an entity \(directory)'s schema "
                + "does not allow: \(problem)")
        }
    }

    private static func uid(_ json: JSONValue) -> EntityUID? {
        guard let type = json.objectValue?["type"]?.stringValue, let id = json.objectValue?["id"]?.stringValue else { return nil }
        return EntityUID(type: type, id: id)
    }

    /// The routes a Lambda authorizer of `apps` guards, each with the action `RoutePolicies` asks for it.
    private func edgeActions(guardedBy apps: Set<String>) -> [(String, String)] {
        template.routes.compactMap { route in
            guard let function = route.authorizer.lambdaFunction, let app = template.functions[function]?.app, apps.contains(app),
                  case .authorizer? = descriptions[app] else { return nil }
            return ("\(route.method) \(route.path) (behind \(app))", RoutePolicies.actionID(method: route.method, route: route.path))
        }
    }

    /// The template's resources of the app's store and policies, against the ones the files make.
    private func templateFindings(folder: String, directory: String) -> [AccessCheck.Finding] {
        guard let generated = try? PolicyResources(folder: folder, directory: directory) else { return [] }
        let resources = document.objectValue?["Resources"]?.objectValue ?? [:]
        let differing = generated.resources.filter { resources[$0.id] != $0.body.json }.map(\.id)
        let stale = generated.staleIDs(in: document)
        guard differing.isEmpty && stale.isEmpty else {
            return [AccessCheck.Finding(isError: true, text: "template: the Verified Permissions resources of \(directory) "
                + "differ from its files (\((differing + stale).sorted().joined(separator: ", "))): run gatehouse sync-policies")]
        }
        return []
    }
}
