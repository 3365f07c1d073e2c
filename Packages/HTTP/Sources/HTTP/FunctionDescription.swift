public import JSON
import FoundationEssentials
import Glibc
import Cedar
import Policy
public import Runtime

/// What a function executable says of itself with `--describe`: its routes and what each requires, or that it is a
/// Lambda authorizer. Tools (`gatehouse routes`, checks against the template) read it from the executable and never
/// link an app.
///
/// `{"routes":[{"method":"POST","path":"/wish-list","requires":{"scope":"write:wishlist"}}]}` or
/// `{"authorizer":"token"}`; `requires` is `"public"`, `"authenticated"`, `{"scope":S}`, `{"allOf":[…]}` or
/// `{"anyOf":[…]}`; `actions` lists the Cedar actions a route's handler asks the policies (`asks:`), when any.
public enum FunctionDescription: Sendable, Equatable, Codable {
    /// One route and what its handler requires (nil: public).
    public struct Route: Sendable, Equatable {
        /// The method.
        public var method: String
        /// The path template.
        public var path: String
        /// What the handler requires; nil for a public route.
        public var requirement: Requirement?
        /// The bodies the route documents.
        public var documentation = BodyDocumentation()
        /// The Cedar actions its handler asks the policies.
        public var actions: [String] = []
        /// Samples of the resources those actions are asked about, as Cedar JSON entities.
        public var resources: [JSONValue] = []

        /// A route.
        public init(method: String, path: String, requirement: Requirement?,
                    documentation: BodyDocumentation = BodyDocumentation(), actions: [String] = [], resources: [JSONValue] = []) {
            self.method = method
            self.path = path
            self.requirement = requirement
            self.documentation = documentation
            self.actions = actions
            self.resources = resources
        }
    }

    /// The kind of Lambda authorizer.
    public enum AuthorizerKind: String, Sendable, Codable { case token, request }

    /// An HTTP function and its routes.
    case routes([Route])
    /// A Lambda authorizer.
    case authorizer(AuthorizerKind)

    /// The routes of `router`.
    public init(router: Router) {
        self = .routes(router.routes.map {
            Route(method: $0.method, path: $0.path, requirement: $0.requirement, documentation: $0.documentation,
                  actions: $0.actions.map(\.name), resources: Self.entities($0.actions.compactMap(\.resourceSample)))
        })
    }

    /// The description as one line of JSON.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    private enum Keys: String, CodingKey {
        case routes, authorizer, method, path, requires, scope, allOf, anyOf, request, responses, errors, actions, resources
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if let kind = try container.decodeIfPresent(AuthorizerKind.self, forKey: .authorizer) {
            self = .authorizer(kind)
            return
        }
        var list = try container.nestedUnkeyedContainer(forKey: .routes)
        var routes: [Route] = []
        while !list.isAtEnd {
            let route = try list.nestedContainer(keyedBy: Keys.self)
            let responses = try route.decodeIfPresent([String: JSONValue].self, forKey: .responses) ?? [:]
            let errors = try route.decodeIfPresent([String: String].self, forKey: .errors) ?? [:]
            let documentation = BodyDocumentation(
                request: Self.body(try route.decodeIfPresent(JSONValue.self, forKey: .request)),
                responses: Dictionary(uniqueKeysWithValues: responses.compactMap { status, body in
                    Int(status).flatMap { code in Self.body(body).map { (code, $0) } }
                }),
                errors: Dictionary(uniqueKeysWithValues: errors.compactMap { status, text in Int(status).map { ($0, text) } }))
            routes.append(Route(method: try route.decode(String.self, forKey: .method),
                                path: try route.decode(String.self, forKey: .path),
                                requirement: try Self.requirement(route), documentation: documentation,
                                actions: try route.decodeIfPresent([String].self, forKey: .actions) ?? [],
                                resources: try route.decodeIfPresent([JSONValue].self, forKey: .resources) ?? []))
        }
        self = .routes(routes)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .authorizer(let kind):
            try container.encode(kind, forKey: .authorizer)
        case .routes(let routes):
            var list = container.nestedUnkeyedContainer(forKey: .routes)
            for route in routes {
                var entry = list.nestedContainer(keyedBy: Keys.self)
                try entry.encode(route.method, forKey: .method)
                try entry.encode(route.path, forKey: .path)
                switch route.requirement {
                case nil: try entry.encode("public", forKey: .requires)
                case .authenticated: try entry.encode("authenticated", forKey: .requires)
                case .scope(let scope): try entry.encode(["scope": scope.name], forKey: .requires)
                case .scopes(.allOf(let scopes)): try entry.encode(["allOf": scopes.map(\.name)], forKey: .requires)
                case .scopes(.anyOf(let scopes)): try entry.encode(["anyOf": scopes.map(\.name)], forKey: .requires)
                }
                if let request = route.documentation.request { try entry.encode(Self.json(request), forKey: .request) }
                if !route.documentation.responses.isEmpty {
                    let responses = Dictionary(uniqueKeysWithValues: route.documentation.responses.map { (String($0), Self.json($1)) })
                    try entry.encode(responses, forKey: .responses)
                }
                if !route.documentation.errors.isEmpty {
                    let errors = Dictionary(uniqueKeysWithValues: route.documentation.errors.map { (String($0), $1) })
                    try entry.encode(errors, forKey: .errors)
                }
                if !route.actions.isEmpty { try entry.encode(route.actions, forKey: .actions) }
                if !route.resources.isEmpty { try entry.encode(route.resources, forKey: .resources) }
            }
        }
    }

    /// Resource samples as Cedar JSON entities (`{"uid","attrs","parents"}`), each type once.
    private static func entities(_ samples: [PolicyEntity]) -> [JSONValue] {
        var seen: Set<String> = []
        return samples.filter { seen.insert($0.uid.type).inserted }.map { sample in
            .object(["uid": .object(["type": .string(sample.uid.type), "id": .string(sample.uid.id)]),
                     "attrs": .object(sample.attributes.mapValues(CedarJSON.json)),
                     "parents": .array(sample.parents.map { .object(["type": .string($0.type), "id": .string($0.id)]) })])
        }
    }

    private static func json(_ body: BodyDocumentation.Body) -> JSONValue {
        .object(["schema": body.schema, "example": body.example])
    }

    private static func body(_ json: JSONValue?) -> BodyDocumentation.Body? {
        guard let object = json?.objectValue, let schema = object["schema"] else { return nil }
        return BodyDocumentation.Body(schema: schema, example: object["example"] ?? .null)
    }

    private static func requirement(_ route: KeyedDecodingContainer<Keys>) throws -> Requirement? {
        if let word = try? route.decode(String.self, forKey: .requires) {
            switch word {
            case "public": return nil
            case "authenticated": return .authenticated
            default: throw DecodingError.dataCorruptedError(forKey: .requires, in: route, debugDescription: "unknown requirement")
            }
        }
        let object = try route.nestedContainer(keyedBy: Keys.self, forKey: .requires)
        if let scope = try object.decodeIfPresent(String.self, forKey: .scope) { return .scope(Scope(scope)) }
        if let all = try object.decodeIfPresent([String].self, forKey: .allOf) { return .scopes(.allOf(all.map { Scope($0) })) }
        return .scopes(.anyOf(try object.decode([String].self, forKey: .anyOf).map { Scope($0) }))
    }
}

/// A deployable function: what `--describe` prints, and its init phase. `main.swift` is `await MyFunction.main()`.
public protocol LambdaFunction {
    /// The routes (or authorizer kind), built without reading the environment.
    static var description: FunctionDescription { get }
    /// The init phase: reads the environment and returns the runtime that serves invocations.
    static func runtime() async throws -> LambdaRuntime
}

extension LambdaFunction {
    /// Runs the function: `--describe` prints `description`; anything else is the Lambda runtime.
    public static func main() async -> Never {
        await LambdaRuntime.run(describing: description) { try await runtime() }
    }
}

extension LambdaRuntime {
    /// Runs a function executable. With `--describe` it prints `description` and exits 0 without running `setup`,
    /// so without reading its environment; otherwise `setup` is the init phase, as in `run(_:)`.
    public static func run(describing description: @autoclosure () -> FunctionDescription,
                           _ setup: () async throws -> LambdaRuntime) async -> Never {
        if CommandLine.arguments.dropFirst().contains("--describe") {
            print(description().json)
            exit(0)
        }
        await run(setup)
    }
}
