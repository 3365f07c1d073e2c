import Cedar
import HTTP
import LocalStack

/// `gatehouse check`'s policy rules: each app's `policies/` folder loads as its function would load it (every policy
/// valid against the schema in strict mode), and every action a route asks (`asks:`) is declared in that schema —
/// so a policy or a route that could never be decided fails before deploy, not at init on AWS.
struct PolicyCheck {
    /// The folder holding `Apps/`.
    let root: String
    let descriptions: [String: FunctionDescription]

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
            let declared = Set(policies.schema.declaredActions.filter { $0.type.hasSuffix("Action") }.map(\.id))
            for (place, action) in asked where !declared.contains(action) {
                findings.append(AccessCheck.Finding(isError: true, text: "\(place): asks action \(action), which "
                    + "\(directory) does not declare"))
            }
        }
        return findings
    }
}
