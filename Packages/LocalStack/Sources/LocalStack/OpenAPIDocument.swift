public import JSON
public import HTTP
import Policy

/// The API as OpenAPI 3.1, derived from the two truths and nothing else: the template (paths, methods, which API,
/// which authorizer) and each handler's own route (what it requires, the bodies it documents). Each operation's
/// `security` names the scopes its handler requires, and its responses include the 401/403 each layer can give.
public enum OpenAPIDocument {
    /// The document for `template`'s routes whose handlers `descriptions` hold; tokens come from `issuer` (an OIDC
    /// issuer URL ending in `/`) and requests go to `server`.
    public static func build(template: LocalTemplate, descriptions: [String: FunctionDescription], issuer: String,
                             server: String) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for route in template.routes {
            guard let app = template.functions[route.function]?.app, case .routes(let handlers)? = descriptions[app],
                  let handler = handlers.first(where: route.isServed(by:)) else { continue }
            let method = route.method == "ANY" ? handler.method : route.method
            paths[route.path, default: [:]][method.lowercased()] = operation(route, handler: handler, app: app)
        }
        return .object([
            "openapi": "3.1.0",
            "info": .object([
                "title": "Gatehouse", "version": "1.0.0",
                "description": .string("Derived from template.json and each handler's `requires:` (gatehouse openapi). "
                    + "REST API routes are also served under their stage prefix."),
            ]),
            "servers": .array([.object(["url": .string(server)])]),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": .object([
                "securitySchemes": .object([
                    "jwt": .object(["type": "openIdConnect",
                                    "openIdConnectUrl": .string(issuer + ".well-known/openid-configuration"),
                                    "description": "The HTTP API's JWT authorizer: the issuer's RS256 access tokens"]),
                    "tokenAuthorizer": bearerScheme("a REST TOKEN Lambda authorizer"),
                    "requestAuthorizer": bearerScheme(
                        "a REST REQUEST Lambda authorizer: the bearer token, with the other identity sources the template names"),
                    "cognito": bearerScheme("a REST Cognito user pool authorizer: the user pool's ID or access tokens"),
                    "sigv4": .object(["type": "apiKey", "name": "Authorization", "in": "header",
                                      "x-amazon-apigateway-authtype": "awsSigv4",
                                      "description": "AWS_IAM: a SigV4 signature (service execute-api) by an IAM identity"]),
                ]),
                "schemas": .object(["Error": .object([
                    "type": "object", "required": ["message"],
                    "properties": .object(["message": .object(["type": .array(["string", "null"])])]),
                ])]),
            ]),
        ])
    }

    private static func bearerScheme(_ description: String) -> JSONValue {
        .object(["type": "apiKey", "in": "header", "name": "Authorization",
                 "description": .string("`Authorization: Bearer TOKEN`, checked by " + description)])
    }

    private static func operation(_ route: LocalTemplate.Route, handler: FunctionDescription.Route, app: String) -> JSONValue {
        var operation: [String: JSONValue] = [
            "operationId": .string(operationID(route)), "tags": [.string(app)],
            "summary": .string("\(route.name) (\(route.api == .http ? "HTTP API" : "REST API"), function \(app))"),
            "security": security(route.authorizer, handler.requirement),
            "responses": .object(responses(route, handler: handler)),
        ]
        // The Cedar actions the handler asks (`asks:`): a policy may refuse them with 403 `not allowed: ACTION`.
        if !handler.actions.isEmpty { operation["x-gatehouse-cedar-actions"] = .array(handler.actions.map { .string($0) }) }
        let parameters = route.path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }
        if !parameters.isEmpty {
            operation["parameters"] = .array(parameters.map { name in
                .object(["name": .string(String(name.dropFirst().dropLast())), "in": "path", "required": true,
                         "schema": .object(["type": "string"])])
            })
        }
        if let body = handler.documentation.request {
            operation["requestBody"] = .object(["required": true, "content": content(body.schema, example: body.example)])
        }
        return .object(operation)
    }

    /// Who may call: nobody needs a token on a public route; otherwise the authorizer's scheme with the scopes the
    /// handler requires (alternatives for `anyOf`).
    private static func security(_ authorizer: LocalTemplate.Authorizer, _ requirement: Requirement?) -> JSONValue {
        let scheme: String
        switch authorizer {
        case .none: return .array([])
        case .jwt: scheme = "jwt"
        case .token: scheme = "tokenAuthorizer"
        case .request: scheme = "requestAuthorizer"
        case .iam: return .array([.object(["sigv4": .array([])])])
        case .cognito: scheme = "cognito"
        }
        if case .scopes(let inner)? = requirement, case .anyOf(let alternatives) = inner {
            return .array(alternatives.map { .object([scheme: [.string($0.name)]]) })
        }
        return .array([.object([scheme: .array((requirement?.scopeNames ?? []).map { .string($0) })])])
    }

    private static func responses(_ route: LocalTemplate.Route, handler: FunctionDescription.Route) -> [String: JSONValue] {
        var responses: [String: JSONValue] = [:]
        for (status, body) in handler.documentation.responses {
            responses[String(status)] = body.schema == .null ? .object(["description": "Success, no content"])
                : .object(["description": "Success", "content": content(body.schema, example: body.example)])
        }
        // Undocumented: what such a route answers by convention (a DELETE has nothing to return).
        if responses.isEmpty, route.method == "DELETE" { responses["204"] = .object(["description": "Success, no content"]) }
        if responses.isEmpty { responses["200"] = .object(["description": "Success", "content": .object(["application/json": .object([:])])]) }
        func error(_ status: Int, _ description: String) {
            let text = responses[String(status)]?.objectValue?["description"]?.stringValue.map { $0 + "; " } ?? ""
            responses[String(status)] = .object(["description": .string(text + description),
                                                 "content": content(["$ref": "#/components/schemas/Error"], example: nil)])
        }
        if handler.documentation.request != nil || route.method == "POST" {
            error(400, "handler: the body is not valid")
            error(413, "handler: the body is larger than the route accepts")
        }
        for (status, when) in handler.documentation.errors { error(status, "handler: " + when) }
        switch route.authorizer {
        case .none: break
        case .jwt:
            error(401, "gateway (JWT authorizer): no token, or not a valid one")
            if !route.scopes.isEmpty { error(403, "gateway (JWT authorizer): none of the scopes the route lists") }
        case .token, .request:
            error(401, "authorizer: no token, or not a valid one")
            error(403, "authorizer: an explicit Deny, or no Allow for this route")
            error(500, "authorizer: it failed or answered malformed")
        case .iam:
            error(403, "gateway (AWS_IAM): no SigV4 signature, or not a valid one")
        case .cognito:
            error(401, "gateway (Cognito authorizer): no token, not the pool's, or no scope the route lists")
        }
        if let requirement = handler.requirement {
            if route.authorizer == .none { error(401, "handler: no caller (no authorizer runs)") }
            let scopes = requirement.scopeNames
            if !scopes.isEmpty { error(403, "handler: missing scope (\(scopes.joined(separator: ", ")))") }
            if case .authenticated = requirement, route.path.contains("{tenantId}") {
                error(403, "handler: not a member of the path's tenant")
            }
            for action in handler.actions { error(403, "handler: the policies refuse \(action) (`not allowed: \(action)`)") }
        }
        error(502, "gateway: the function failed or timed out")
        return responses
    }

    private static func content(_ schema: JSONValue, example: JSONValue?) -> JSONValue {
        var media: [String: JSONValue] = ["schema": schema]
        if let example, example != .null { media["example"] = example }
        return .object(["application/json": .object(media)])
    }

    /// `GET /tenants/{tenantId}/wish-list` → `getTenantsTenantIdWishList`.
    private static func operationID(_ route: LocalTemplate.Route) -> String {
        let words = route.path.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return route.method.lowercased() + words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
