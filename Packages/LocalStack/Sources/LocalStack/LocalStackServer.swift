import Glibc
import HTTP
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

        /// A configuration for `port` running the executables in `executables`.
        public init(port: UInt16, executables: String) {
            self.port = port
            self.executables = executables
        }
    }

    /// The bound port.
    public var port: UInt16 { server.port }
    private let server: HTTPServer
    private let functions: FunctionInstances

    /// Reads the template (refusing what it cannot emulate: `TemplateRefusal`), loads identities and keys, and
    /// starts serving.
    public init(_ configuration: Configuration) throws {
        let data = configuration.dataFolder
        mkdir(data, 0o700)
        let issuer = "http://127.0.0.1:\(configuration.port)/idp/"
        let idp = try IdentityProvider(issuer: issuer, identitiesPath: configuration.identitiesPath, dataFolder: data)
        let template = try LocalTemplate(path: configuration.templatePath, parameters: [
            "JwtIssuer": issuer, "JwtAudience": idp.identities.audience, "SecretKey": try LocalSecret.secretKey(in: data, given: configuration.secretKey),
        ])
        functions = FunctionInstances(executables: configuration.executables, baseEnvironment: [
            "GATEHOUSE_STORAGE": configuration.storage ?? "sqlite:\(absolutePath(data))/gatehouse.sqlite",
            "GATEHOUSE_IDENTITIES": absolutePath(configuration.identitiesPath),
        ])
        let functions = functions
        let base = "http://127.0.0.1:\(configuration.port)"
        let openAPI = OpenAPIServing(template: template, executables: configuration.executables, issuer: issuer, server: base)
        let identitiesPath = configuration.identitiesPath
        let gateway = Gateway(template: template, issuer: idp.issuer, jwks: idp.publicKeys,
                              counts: functions.counts) { function, event, requestID in
            await functions.invoke(function, event: event, requestID: requestID)
        }
        server = try HTTPServer(host: "127.0.0.1", port: configuration.port) { request in
            if let answer = await idp.respond(to: request) { return answer }
            if request.method == "GET", let page = ConsolePage.response(request.path) { return page }
            if request.method == "GET" && request.path == "/openapi.json" { return await openAPI.response() }
            if request.method == "POST" && request.path == "/_gatehouse/matrix" {
                return await Self.matrix(base: base, template: template, executables: configuration.executables,
                                         identitiesPath: identitiesPath, dataFolder: data)
            }
            if request.method == "GET" && request.path == "/_gatehouse/metrics" {
                return HTTPResponse(status: .ok, headers: ["content-type": "application/json", "cache-control": "no-store"],
                                    body: functions.counts.json)
            }
            return await gateway.respond(to: request)
        }
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
    guard !path.hasPrefix("/") else { return path }
    var buffer = [CChar](repeating: 0, count: 4096)
    let directory = getcwd(&buffer, buffer.count) != nil
        ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "."
    return directory + "/" + path
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
