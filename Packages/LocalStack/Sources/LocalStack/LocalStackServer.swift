import JSON
import FoundationEssentials
import Glibc
@_spi(Gatehouse) import HTTP
import JWT
import Transport

/// The local stack on one port: API Gateway as the template describes it, the functions as their real executables,
/// the dev identity provider under `/idp` and the console at `/`.
public final class LocalStackServer: Sendable {
    /// Where everything comes from.
    public struct Configuration: Sendable {
        /// Port on 127.0.0.1 (0 picks a free one).
        public var port: UInt16
        /// The SAM template.
        public var templatePath = "template.json"
        /// Dev clients and users.
        public var identitiesPath = "dev/identities.json"
        /// Data folder: keys, SQLite file.
        public var dataFolder = ".gatehouse"
        /// Folder of the app executables.
        public var executables: String
        /// `GATEHOUSE_STORAGE` for the functions; SQLite under the data folder when nil.
        public var storage: String?
        /// The template's `SecretKey`; one made for the data folder when nil.
        public var secretKey: String?
        /// Host names answered besides 127.0.0.1, localhost and [::1] (DNS rebinding protection: `LocalHostGuard`).
        public var allowedHosts: [String] = []

        /// A configuration for `port` running the executables in `executables`.
        public init(port: UInt16, executables: String) {
            self.port = port
            self.executables = executables
        }
    }

    /// The bound port.
    public var port: UInt16 { server.port }
    /// The data folder (keys, SQLite file).
    public var dataFolder: String { configuration.dataFolder }
    private let server: HTTPServer
    private let functions: FunctionInstances
    private let configuration: Configuration
    /// What the template and the identities make, swapped whole by a reload.
    private let served: Swappable<Served>
    /// Verified Permissions' policy stores at `/avp`, kept under the data dir.
    private let permissions: VerifiedPermissionsStores
    /// The last reload's failure (a build error, a refused template), for the console's banner; nil when none.
    private let reloadProblem = Swappable<String?>(nil)

    /// What the stack serves from the template and the dev identities.
    private struct Served: Sendable {
        let template: LocalTemplate
        let idp: IdentityProvider
        /// The dev Cognito user pool, when the identities declare one.
        let pool: CognitoUserPool?
        let gateway: Gateway
        let openAPI: OpenAPIServing

        /// The dev IdP and the dev pool, whose tokens `/avp`'s identity sources may take.
        var tokenIssuers: TokenIssuers {
            var keys = [idp.issuer: idp.publicKeys]
            if let pool { keys[pool.issuer] = pool.publicKeys }
            return TokenIssuers(keys: keys, pool: pool.map { TokenIssuers.Pool(id: $0.settings.poolId, issuer: $0.issuer) })
        }
    }

    /// Reads the template (refusing what it cannot emulate: `TemplateRefusal`), loads identities and keys, and
    /// starts serving.
    public init(_ configuration: Configuration) throws {
        mkdir(configuration.dataFolder, 0o700)
        self.configuration = configuration
        functions = FunctionInstances(executables: configuration.executables, baseEnvironment: [
            "GATEHOUSE_STORAGE": configuration.storage ?? "sqlite:\(absolutePath(configuration.dataFolder))/gatehouse.sqlite",
            "GATEHOUSE_IDENTITIES": absolutePath(configuration.identitiesPath),
        ].merging(try Self.roleEnvironment(configuration)) { own, _ in own })
        let permissions = try VerifiedPermissionsStores(dataFolder: configuration.dataFolder)
        self.permissions = permissions
        let served = Swappable(try Self.load(configuration, functions: functions, permissions: permissions))
        self.served = served
        let (functions, reloadProblem, data) = (functions, reloadProblem, configuration.dataFolder)
        let base = "http://127.0.0.1:\(configuration.port)"
        let hostGuard = LocalHostGuard(port: configuration.port, names: configuration.allowedHosts)
        server = try HTTPServer(host: "127.0.0.1", port: configuration.port) { request in
            if let refusal = hostGuard.refusal(request) { return refusal }
            if request.path.hasPrefix("/_gatehouse/"), let refusal = hostGuard.consoleRefusal(request) { return refusal }
            let current = served.current
            if let answer = await current.idp.respond(to: request) { return answer }
            if let pool = current.pool, let answer = await pool.respond(to: request) { return answer }
            if request.method == "GET", let page = ConsolePage.response(request.path) { return page }
            switch (request.method, request.path) {
            case ("GET", "/openapi.json"): return await current.openAPI.response()
            case ("POST", VerifiedPermissionsAPI.mount):
                let signatures = IAMAuthorizer(identities: current.idp.identities.iam ?? [], signingService: "verifiedpermissions")
                return VerifiedPermissionsAPI(stores: permissions, signatures: signatures, issuers: current.tokenIssuers)
                    .respond(to: request, now: currentTime())
            case ("POST", "/_gatehouse/matrix"):
                return await Self.matrix(base: base, template: current.template, executables: configuration.executables,
                                         identitiesPath: configuration.identitiesPath, dataFolder: data)
            case ("GET", "/_gatehouse/metrics"):
                // Counts read from the functions' output: wait for the lines of the requests already answered.
                await functions.settleOutput(within: 5)
                return HTTPResponse(status: .ok, headers: ["content-type": "application/json", "cache-control": "no-store"],
                                    body: functions.counts.json)
            case ("GET", let path) where path.hasPrefix(PolicyDecisionLines.route):
                return await Self.decision(String(path.dropFirst(PolicyDecisionLines.route.count)), in: functions.decisions)
            case ("GET", "/_gatehouse/reload"):
                let problem: JSONValue = reloadProblem.current.map { .string($0) } ?? .null
                return HTTPResponse(status: .ok, headers: ["content-type": "application/json", "cache-control": "no-store"],
                                    body: Array(JSONValue.object(["problem": problem]).jsonText.utf8))
            default: return await current.gateway.respond(to: request)
            }
        }
    }

    /// What Lambda gives a function for its role, pointed at the stack: the first dev IAM identity's key, the
    /// region, and Verified Permissions at `/avp` (so a function calls the local service as it calls AWS's).
    private static func roleEnvironment(_ configuration: Configuration) throws -> [String: String] {
        let identities = try configurationDocument(IdentityProvider.Identities.self, configuration.identitiesPath)
        guard let role = identities.iam?.first else { return [:] }
        return ["AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": role.accessKeyId, "AWS_SECRET_ACCESS_KEY": role.secretAccessKey,
                "AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS": "http://127.0.0.1:\(configuration.port)\(VerifiedPermissionsAPI.mount)"]
    }

    /// `GET /_gatehouse/decisions/REQUEST_ID`: the policy decision the function logged for that request (waited
    /// for a moment: the log line may trail the answer), `{"decision":"allow"|"deny","policies":"policy0,…"}`, or 404.
    private static func decision(_ requestID: String, in decisions: PolicyDecisionLines) async -> HTTPResponse {
        guard !requestID.isEmpty, let decision = await decisions.decision(for: requestID, waitingUpTo: 5) else {
            return .message(.notFound, "no policy decision logged for this request")
        }
        let body = JSONValue.object(["decision": .string(decision.allowed ? "allow" : "deny"), "policies": .string(decision.policies)])
        return HTTPResponse(status: .ok, headers: ["content-type": "application/json", "cache-control": "no-store"],
                            body: Array(body.jsonText.utf8))
    }

    /// The template and identities as served, the template's policy stores synced into `permissions` on the way.
    private static func load(_ configuration: Configuration, functions: FunctionInstances,
                             permissions: VerifiedPermissionsStores) throws -> Served {
        let data = configuration.dataFolder
        let issuer = "http://127.0.0.1:\(configuration.port)/idp/"
        let idp = try IdentityProvider(issuer: issuer, identitiesPath: configuration.identitiesPath, dataFolder: data)
        var pool = try idp.identities.cognito.map {
            try CognitoUserPool(settings: $0, users: idp.identities.users, base: "http://127.0.0.1:\(configuration.port)",
                                dataFolder: data)
        }
        let template = try LocalTemplate(path: configuration.templatePath, parameters: [
            "JwtIssuer": issuer, "JwtAudience": idp.identities.audience,
            "SecretKey": try LocalSecret.secretKey(in: data, given: configuration.secretKey),
            "CognitoIssuer": pool?.issuer ?? "",
            // Managed login returns to the app here (Cognito takes http only for localhost).
            "AppCallbackURL": "http://localhost:\(configuration.port)/",
        ])
        pool?.clients = template.userPoolClients
        let served = makeServed(template: template, idp: idp, pool: pool, configuration: configuration, functions: functions)
        try TemplatePolicyStores.sync(templatePath: configuration.templatePath, into: permissions, issuers: served.tokenIssuers,
                                      parameters: ["JwtIssuer": issuer, "JwtAudience": idp.identities.audience],
                                      date: VerifiedPermissionsAPI.isoDate(currentTime()))
        return served
    }

    private static func makeServed(template: LocalTemplate, idp: IdentityProvider, pool: CognitoUserPool?,
                                   configuration: Configuration, functions: FunctionInstances) -> Served {
        let gateway = Gateway(template: template, issuer: idp.issuer, jwks: idp.publicKeys, iam: idp.identities.iam ?? [],
                              pool: pool, apiKeys: idp.identities.apiKeys ?? [], counts: functions.counts) { function, event, requestID in
            await functions.invoke(function, event: event, requestID: requestID)
        }
        let openAPI = OpenAPIServing(template: template, executables: configuration.executables, issuer: idp.issuer,
                                     server: "http://127.0.0.1:\(configuration.port)")
        return Served(template: template, idp: idp, pool: pool, gateway: gateway, openAPI: openAPI)
    }

    /// Reads the template and the identities again and swaps routes, authorizers (with empty caches) and dev
    /// clients and users in one step; keys and stored data stay. When `functionsChanged` (the template may give
    /// them another environment), running instances finish their invocation and stop. Throws, keeping the old
    /// configuration, when the new one is refused.
    public func reloadConfiguration(functionsChanged: Bool) async throws {
        let next = try Self.load(configuration, functions: functions, permissions: permissions)
        served.swap { _ in next }
        if functionsChanged { await functions.replace([:], all: true) }
    }

    /// Sends new invocations of each app to fresh instances of its new executable (`paths`: app → file); in-flight
    /// invocations finish on the old ones, which then stop. Authorizer caches start empty, as after a deploy.
    public func replaceExecutables(_ paths: [String: String]) async {
        await functions.replace(paths, all: false)
        served.swap { current in
            Self.makeServed(template: current.template, idp: current.idp, pool: current.pool, configuration: configuration,
                            functions: functions)
        }
    }

    /// Reports the last reload's failure (nil: the last reload worked) to the console.
    public func setReloadProblem(_ problem: String?) {
        reloadProblem.swap { _ in problem }
    }

    /// The authorization matrix of this stack, for the console: every route called as every dev identity.
    private static func matrix(base: String, template: LocalTemplate, executables: String, identitiesPath: String,
                               dataFolder: String) async -> HTTPResponse {
        let descriptions = await FunctionDescriptions.load(template.functions.values.map(\.app), executables: executables)
        do {
            let matrix = try await AuthorizationMatrix.run(base: base, template: template, descriptions: descriptions,
                                                           identitiesPath: identitiesPath, dataFolder: dataFolder)
            return HTTPResponse(status: .ok, headers: ["content-type": "application/json", "cache-control": "no-store"],
                                body: Array(matrix.json.jsonText.utf8))
        } catch {
            return .message(.internalServerError, "the matrix could not be made: \(error)")
        }
    }

    /// Stops serving and stops every function instance.
    public func stop() async {
        server.shutdown()
        await functions.stopAll()
    }
}

/// `path` made absolute against the working directory.
func absolutePath(_ path: String) -> String {
    path.hasPrefix("/") ? path : currentDirectory() + "/" + path
}

/// The working directory (`.` when it cannot be read).
func currentDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return "." }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

extension LocalStackServer {
    /// A stack on a free port of 127.0.0.1 with its data in a new temporary folder, in this process: for tests and
    /// benchmarks that need the whole gateway without starting `gatehouse serve`.
    public static func onFreePort(templatePath: String, identitiesPath: String, executables: String) throws
        -> LocalStackServer
    {
        var folder = Array("/tmp/gatehouse-stack-XXXXXX".utf8CString)
        guard let made = mkdtemp(&folder) else { throw ServeError("cannot make a data folder") }
        // The issuer URL names the port, so the port is chosen first: the kernel's pick for a socket closed at once.
        let port = try Socket.listen(host: "127.0.0.1", port: 0).localPort
        var configuration = Configuration(port: port, executables: executables)
        configuration.templatePath = templatePath
        configuration.identitiesPath = identitiesPath
        configuration.dataFolder = String(cString: made)
        return try LocalStackServer(configuration)
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }
}
