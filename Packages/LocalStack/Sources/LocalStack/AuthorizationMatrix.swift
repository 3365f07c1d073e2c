public import JSON
import FoundationEssentials
public import HTTP
import JWT
import AWS
import TransportClient

/// Every route of a running stack called as every dev identity: route × identity → the status and the layer that
/// answered (gateway, authorizer, handler, or policy: the handler's Cedar policies refused the action). `docs/authorization-matrix.md` holds the decided table; a test
/// rebuilds it against a fresh stack and fails on any difference.
///
/// The layer is read from the answer as a client sees it: API Gateway's own bodies (`{"message":"Unauthorized"}`,
/// `Forbidden`, the explicit-deny texts, `Missing Authentication Token`, `Not Found`) or a REST refusal's
/// `x-amzn-ErrorType` come from the gateway on a JWT or no-authorizer route and from the Lambda authorizer on a
/// Lambda-authorized one; anything else is the handler's.
public struct AuthorizationMatrix: Sendable {
    /// One outcome.
    public struct Cell: Sendable, Equatable {
        public var status: Int
        public var layer: String
        /// The determining policies, when the handler's Cedar policies decided (`policy0,policy2`; empty for a
        /// default deny).
        public var policies: String?
        /// `403 handler`, `200 handler (policy2)`, `403 policy (policy4)`.
        public var text: String {
            "\(status) \(layer)" + (policies.map { $0.isEmpty ? "" : " (\($0))" } ?? "")
        }
    }

    /// The identities, in column order.
    public let columns: [String]
    /// Each route (`GET /profile`) with one cell per column.
    public let rows: [(route: String, cells: [Cell])]

    /// Calls every route of `template` served by `base` as every identity of `identitiesPath`; the dev provider's
    /// key is read from `dataFolder` (for the expired and other-audience tokens).
    public static func run(base: String, template: LocalTemplate, descriptions: [String: FunctionDescription],
                           identitiesPath: String, dataFolder: String) async throws -> AuthorizationMatrix {
        var options = HTTPClient.Options()
        options.timeoutSeconds = 30  // a login hashes a password
        let client = try HTTPClient(options: options)
        let identities = try await MatrixIdentities(base: base, identitiesPath: identitiesPath, dataFolder: dataFolder,
                                                    client: client)
        // Tenant path parameters get the first dev user's tenant, so the tenant routes show both answers; the
        // parameters a scenario captures (`dev/matrix-scenario.json`) get a resource it sets up afresh per cell.
        let tenant = identities.firstTenant ?? "example"
        let scenario = try MatrixScenario.load(in: template.folder)
        let tokens = Dictionary(identities.identities.compactMap { identity in identity.token.map { (identity.name, $0) } },
                                uniquingKeysWith: { first, _ in first })
        let deciders = policyAuthorizers(in: template.folder)
        var rows: [(route: String, cells: [Cell])] = []
        for route in template.routes.sorted(by: { ($0.path, $0.method) < ($1.path, $1.method) }) {
            let app = template.functions[route.function]?.app ?? ""
            guard case .routes(let handlers)? = descriptions[app], let handler = handlers.first(where: route.isServed(by:))
            else { continue }
            let decidedAtTheEdge = route.authorizer.lambdaFunction.flatMap { template.functions[$0]?.app }.map(deciders.contains) ?? false
            let staged = scenario.map { scenario in scenario.parameters.contains { route.path.contains("{\($0)}") } } ?? false
            let template = route.path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
                guard segment.hasPrefix("{"), !staged || !(scenario?.parameters.contains(String(segment.dropFirst().dropLast())) ?? false)
                else { return String(segment) }
                return segment.lowercased().contains("tenant") ? tenant : "example"
            }.joined(separator: "/")
            let example = handler.documentation.request.map { Array($0.example.jsonText.utf8) }
            let body = example ?? (route.method == "GET" ? [] : Array("{}".utf8))
            var cells: [Cell] = []
            for identity in identities.identities {
                var path = template
                if staged, let scenario {
                    path = MatrixScenario.filling(template, with: try await scenario.run(base: base, tokens: tokens, client: client))
                }
                var headers = [("content-type", "application/json")]
                headers += try identity.tokenHeaders(route.method, base + path)
                if let iam = identity.iam { headers += signature(by: iam, route.method, base: base, path: path, body: body) }
                let response = try await client.send(route.method, base + path, headers: headers, body: body)
                let layer = layer(of: response, on: route.authorizer)
                var policies: String?
                if !handler.actions.isEmpty, layer == "policy" || (200..<300).contains(response.status) {
                    policies = try await decidingPolicies(of: response, base: base, client: client)
                } else if decidedAtTheEdge, layer == "authorizer" && response.status == 403 || (200..<300).contains(response.status) {
                    policies = try await decidingPolicies(of: response, base: base, client: client)
                }
                cells.append(Cell(status: response.status, layer: layer, policies: policies))
            }
            rows.append((route.name, cells))
        }
        return AuthorizationMatrix(columns: identities.identities.map(\.name), rows: rows)
    }

    /// The authorizer apps that decide with policies (`RoutePolicies`): those with a `policies/` folder, in the
    /// project at `root`.
    private static func policyAuthorizers(in root: String) -> Set<String> {
        Set(AppFolders.executables(in: root).filter { EmbeddedPolicies.hasFolder(root + "/Apps/" + $0.key + "/policies") }
            .flatMap(\.value))
    }

    /// The policies that decided `response`, as its function's audit line logged them (the stack keeps those lines
    /// by request id; the client is told nothing it would not be told on AWS).
    private static func decidingPolicies(of response: HTTPClient.Response, base: String,
                                         client: HTTPClient) async throws -> String? {
        guard let requestID = response.headers.first(where: {
            ["apigw-requestid", "x-amzn-requestid"].contains($0.name.lowercased())
        })?.value else { return nil }
        let answer = try await client.send("GET", base + PolicyDecisionLines.route + requestID, headers: [], body: [])
        guard answer.status == 200 else { return nil }
        return (try? JSONValue.object(parsing: answer.body))?["policies"]?.stringValue
    }

    /// The SigV4 headers of a request by `identity` (the host and the content type signed).
    private static func signature(by identity: IAMAuthorizer.Identity, _ method: String, base: String, path: String,
                                  body: [UInt8]) -> [(String, String)] {
        let signer = SigV4(credentials: AWSCredentials(accessKeyID: identity.accessKeyId, secretAccessKey: identity.secretAccessKey),
                           region: IAMAuthorizer.region, service: IAMAuthorizer.service)
        let host = String(base.dropFirst("http://".count))
        return signer.sign(method: method, path: SigV4.uriEncode(path, keepingSlash: true),
                           headers: ["host": host, "content-type": "application/json"], body: body,
                           amzDate: SigV4.amzDate(currentTime())).map { ($0.key, $0.value) }
    }

    /// The table as Markdown, one route a line.
    public var markdown: String {
        let header = "| route | " + columns.joined(separator: " | ") + " |"
        let rule = "| --- |" + String(repeating: " --- |", count: columns.count)
        return ([header, rule] + rows.map { "| \($0.route) | " + $0.cells.map(\.text).joined(separator: " | ") + " |" })
            .joined(separator: "\n")
    }

    /// The table as JSON, for the console: `{"columns":[…],"rows":[{"route","cells":["200 handler",…]}]}`.
    public var json: JSONValue {
        .object(["columns": .array(columns.map { .string($0) }),
                 "rows": .array(rows.map { .object(["route": .string($0.route), "cells": .array($0.cells.map { .string($0.text) })]) })])
    }

    /// The bodies API Gateway answers with itself. Not its `{"message":"Not Found"}`: the matrix calls only routes the
    /// template declares, which the gateway never answers 404 for, so that body is a handler's own (`HTTPError.notFound`).
    static let gatewayBodies: Set<String> = [
        #"{"message":"Unauthorized"}"#, #"{"message":"Forbidden"}"#, #"{"message":null}"#,
        #"{"message":"User is not authorized to access this resource"}"#,
        #"{"message":"User is not authorized to access this resource with an explicit deny"}"#,
        #"{"message":"Missing Authentication Token"}"#, #"{"message":"Internal Server Error"}"#,
    ]

    private static func layer(of response: HTTPClient.Response, on authorizer: LocalTemplate.Authorizer) -> String {
        layer(status: response.status, headers: response.headers, body: response.body, on: authorizer)
    }

    /// Who answered a call with `status`, headers named `headers` and `body`, on a route behind `authorizer`.
    static func layer(status: Int, headers: [(name: String, value: String)], body bytes: [UInt8],
                      on authorizer: LocalTemplate.Authorizer) -> String {
        let body = String(decoding: bytes, as: UTF8.self)
        // A handler's Cedar policies refused the action (`context.authorize`): its own layer, amber in the console.
        if status == 403, body.hasPrefix(#"{"message":"not allowed: "#) { return "policy" }
        // API Gateway's own refusals of a signature carry their error type (`x-amzn-ErrorType`).
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
        if status == 403, case .iam = authorizer, header("x-amzn-errortype") != nil {
            return "gateway"
        }
        // A REST API's refusals carry their error type, whatever body its gateway responses give them.
        let typed = header("x-amzn-errortype") != nil
        guard status >= 400, typed || gatewayBodies.contains(body) else { return "handler" }
        // A handler's own 401 (no caller: no authorizer on the route, or a key-bound token an authorizer let through as
        // a bearer token) says `Bearer` without an error code; an authorizer's names its error or says nothing.
        if status == 401, case .none = authorizer { return "handler" }
        if status == 401, header("www-authenticate") == "Bearer" { return "handler" }
        switch authorizer {
        case .token, .request: return status == 502 ? "gateway" : "authorizer"
        case .jwt, .iam, .cognito, .none: return "gateway"
        }
    }
}
