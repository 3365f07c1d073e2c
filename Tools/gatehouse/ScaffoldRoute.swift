/// One route of a new app (`--route "POST /tenants/{tenantId}/notes"`): its method and path, and what the scaffold
/// makes its handler do — list, read one, create or delete the app's items, in the caller's partition of the table.
struct ScaffoldRoute: Equatable {
    let method: String
    let path: String

    /// The methods a scaffolded handler knows what to do with.
    static let methods = ["GET", "POST", "DELETE"]

    /// `"POST /tenants/{tenantId}/notes"`, or why not.
    init(_ text: String) throws(NewCommand.Refusal) {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count == 2, Self.methods.contains(words[0].uppercased()) else {
            throw .init(reason: "--route \"\(text.prefix(60))\" is not METHOD PATH with METHOD one of \(Self.methods.joined(separator: ", "))")
        }
        let path = String(words[1])
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let valid = path.hasPrefix("/") && !segments.isEmpty && segments.allSatisfy { segment in
            segment.wholeMatch(of: #/[a-z0-9][a-z0-9._-]*|\{[a-zA-Z][a-zA-Z0-9]*\}/#) != nil
        }
        guard valid, Set(segments).count == segments.count else {
            throw .init(reason: "--route path \(path.prefix(60)) must be /segments of lowercase words or {parameters}")
        }
        self.init(method: words[0].uppercased(), path: path)
    }

    init(method: String, path: String) {
        self.method = method
        self.path = path
    }

    /// The `{parameters}` of the path, in order.
    var parameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }
    /// True when the path names the caller's tenant (`{tenantId}`): the handler checks it is the caller's own.
    var isTenant: Bool { parameters.contains("tenantId") }
    /// The item the path ends with (`{noteId}`), for reading or deleting one.
    var itemParameter: String? { path.hasSuffix("}") ? parameters.last.flatMap { $0 == "tenantId" ? nil : $0 } : nil }
    /// `"POST /tenants/{tenantId}/notes"`.
    var name: String { method + " " + path }
    /// The router's helper for the method (`get`, `post`, `delete`).
    var routerMethod: String { method.lowercased() }
    /// The status of a success: 201 for a new item, 204 for a deletion, else 200.
    var successStatus: Int { method == "POST" ? 201 : method == "DELETE" ? 204 : 200 }
    /// The path with the dev tenant for `{tenantId}` and `example` for any other parameter (as the matrix calls it).
    func concrete(tenant: String) -> String {
        path.replacing("{tenantId}", with: tenant).replacing(#/\{[a-zA-Z0-9]+\}/#, with: "example")
    }
}
