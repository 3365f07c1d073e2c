import Foundation

/// The authorization-matrix row `gatehouse new` decides for the route it creates, from the authorizer and scope it
/// was given and the dev identities — in the columns and order `gatehouse matrix` prints — and its place in
/// docs/authorization-matrix.md. The matrix test then checks the running stack answers it.
struct MatrixRow {
    let scaffold: AppScaffold

    private struct Identities: Decodable {
        struct Client: Decodable { var id: String; var `public`: Bool?; var permissions: [String] }
        struct User: Decodable { var email: String; var permissions: [String]; var claims: [String: String] }
        struct IAM: Decodable { var accessKeyId: String }
        struct Pool: Decodable { var poolId: String }
        var clients: [Client]
        var users: [User]
        var iam: [IAM]?
        var cognito: Pool?
    }

    /// A row per route, for identities as `identities` (the file's text, after the scope was granted) holds them.
    /// (A `--policy` app has the one `GET` route `serviceRoutes` gives without `--route`.)
    func rows(identities text: String) -> [String]? {
        guard let dev = try? JSONDecoder().decode(Identities.self, from: Data(text.utf8)), let first = dev.users.first
        else { return nil }
        return scaffold.serviceRoutes.map { row($0, dev: dev, first: first) }
    }

    /// The row of `route`, for the dev identities `dev` (`first`: its first user).
    private func row(_ route: ScaffoldRoute, dev: Identities, first: Identities.User) -> String {
        func tenant(of user: Identities.User) -> String? { user.claims.first { $0.key.lowercased().hasSuffix("tenant") }?.value }
        let pathTenant = tenant(of: first)
        let success = "\(scaffold.allowedStatus(route)) handler"
        // Who answers when the caller holds `permissions` and (for a user's token) `tenant`: the REQUEST authorizer
        // checks the tenant first; then the handler the scope, then the path's tenant.
        func allowed(_ permissions: [String], tenant: String?) -> String {
            if scaffold.authorizer == .request && (tenant == nil || tenant != pathTenant) { return "403 authorizer" }
            guard let scope = scaffold.scope else { return success }
            guard permissions.contains(scope) else { return "403 handler" }
            return route.isTenant && (tenant == nil || tenant != pathTenant) ? "403 handler" : success
        }
        let refused: String = switch scaffold.authorizer {
        case .none: "200 handler"
        case .jwt: "401 gateway"
        case .token, .request: "401 authorizer"
        }
        // With `--policy`: the starting policies decide — the owner may view, no one across tenants (a caller without
        // a tenant is outside every tenant), everyone else is denied by default.
        func decided(subject: String?, tenant: String?) -> String {
            guard let policy = scaffold.policy else { return "" }
            guard let tenant, !tenant.isEmpty, tenant == policy.tenant else { return "403 policy (same-tenant)" }
            return subject == policy.owner ? "200 handler (owner)" : "403 policy"
        }
        var cells = [refused]  // anonymous
        cells += dev.clients.filter { $0.public != true }.map {
            scaffold.policy == nil ? allowed($0.permissions, tenant: nil) : decided(subject: nil, tenant: nil)
        }
        cells += dev.users.map {
            scaffold.policy == nil ? allowed($0.permissions, tenant: tenant(of: $0))
                : decided(subject: "auth0|" + $0.email, tenant: tenant(of: $0))
        }
        // The auth app's login token: the JWT authorizer trusts only the identity provider's keys.
        cells.append(scaffold.authorizer == .jwt ? refused : allowed(first.permissions, tenant: tenant(of: first)))
        cells += [refused, refused]  // expired, other audience
        // The first user's ID token from the dev user pool: no token any of these authorizers trusts.
        if dev.cognito != nil { cells.append(refused) }
        // The first user's DPoP-bound token: sent as `DPoP` with a proof, no scheme these authorizers read; stolen
        // (sent as a bearer token), the Lambda authorizers refuse its `cnf` and the JWT authorizer passes it on to a
        // handler that finds no caller in it.
        cells += [refused, scaffold.authorizer == .jwt ? "401 handler" : refused]
        // Each IAM identity's SigV4 `Authorization`: no token at all.
        cells += Array(repeating: refused, count: dev.iam?.count ?? 0)
        return "| \(route.name) | " + cells.joined(separator: " | ") + " |"
    }

    /// `document` with `row` among the table's rows, in the order `gatehouse matrix` prints them (by path, then
    /// method); nil when the document has no table between its markers.
    static func inserting(_ row: String, into document: String) -> String? {
        var lines = document.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let begin = lines.firstIndex(of: "<!-- matrix:begin -->"), let end = lines.firstIndex(of: "<!-- matrix:end -->"),
              end >= begin + 3 else { return nil }
        func key(_ line: String) -> (String, String) {
            let route = line.split(separator: "|").first?.trimmingCharacters(in: .whitespaces) ?? ""
            let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
            return (parts.count == 2 ? parts[1] : route, parts.first ?? "")
        }
        let position = lines[(begin + 3)..<end].firstIndex { key($0) > key(row) } ?? end
        lines.insert(row, at: position)
        return lines.joined(separator: "\n")
    }
}
