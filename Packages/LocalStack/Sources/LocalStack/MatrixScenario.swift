import JSON
import FoundationEssentials
import TransportClient

/// What the authorization matrix sets up before a call that needs a resource: the project's
/// `dev/matrix-scenario.json` lists requests made as named dev identities, some of which capture a member of their answer as a
/// path parameter (`{"capture": {"id": "id"}}`: the answer's `id` fills `{id}`). A route whose path has a captured
/// parameter gets the whole setup afresh before each of its cells, so no cell sees what another cell did — a
/// `DELETE` by the owner does not turn every later cell into a 404.
///
/// ```json
/// {"setup": [
///   {"as": "ada@example.com", "method": "POST", "path": "/lists", "body": {"name": "matrix"}, "capture": {"id": "id"}},
///   {"as": "ada@example.com", "method": "POST", "path": "/lists/{id}/shares", "body": {"user": "carol@example.com", "role": "viewer"}}
/// ]}
/// ```
struct MatrixScenario: Decodable {
    struct Step: Decodable {
        var `as`: String
        var method: String
        var path: String
        var body: JSONValue?
        /// Path parameter → member of the answer.
        var capture: [String: String]?
    }

    var setup: [Step]

    /// The path parameters the setup captures.
    var parameters: Set<String> { Set(setup.flatMap { $0.capture?.keys.map { $0 } ?? [] }) }

    /// The scenario of the project at `root` (`dev/matrix-scenario.json`), if it has one.
    static func load(in root: String) throws -> MatrixScenario? {
        guard let data = try? configurationFile(root + "/dev/matrix-scenario.json") else { return nil }
        return try JSONDecoder().decode(MatrixScenario.self, from: data)
    }

    /// Runs the setup against `base` with the identities' tokens; the captured parameters.
    func run(base: String, tokens: [String: String], client: HTTPClient) async throws -> [String: String] {
        var captured: [String: String] = [:]
        for step in setup {
            guard let token = tokens[step.as] else { throw ServeError("the matrix scenario names no identity \(step.as)") }
            let path = Self.filling(step.path, with: captured)
            let response = try await client.send(step.method, base + path,
                                                 headers: [("content-type", "application/json"), ("authorization", "Bearer " + token)],
                                                 body: Array((step.body ?? .object([:])).jsonText.utf8))
            guard (200..<300).contains(response.status) else {
                throw ServeError("the matrix scenario's \(step.method) \(path) answered \(response.status)")
            }
            for (parameter, member) in step.capture ?? [:] {
                guard let value = (try? JSONValue.object(parsing: response.body))?[member]?.stringValue else {
                    throw ServeError("the matrix scenario's \(step.method) \(path) answered no \(member)")
                }
                captured[parameter] = value
            }
        }
        return captured
    }

    /// `path` with each `{name}` of `values` filled in.
    static func filling(_ path: String, with values: [String: String]) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? values[String(segment.dropFirst().dropLast())] ?? String(segment)
                : String(segment)
        }.joined(separator: "/")
    }
}
