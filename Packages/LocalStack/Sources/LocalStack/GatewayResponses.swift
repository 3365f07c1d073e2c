import HTTP
import JSON

/// A request the gateway refuses: the kind of answer (API Gateway's response type, which a REST API's
/// `GatewayResponses` may customize), why (the decision's reason in metrics and audit lines), and the answer itself.
struct GatewayRefusal: Error {
    /// API Gateway's response types the stack lets a template customize; nil for any other refusal.
    let type: GatewayResponseType?
    let reason: String
    let response: HTTPResponse

    init(_ type: GatewayResponseType?, reason: String, _ response: HTTPResponse) {
        (self.type, self.reason, self.response) = (type, reason, response)
    }
}

/// The response types a REST API's `GatewayResponses` may customize here: the two an authorizer causes.
enum GatewayResponseType: String, Sendable, CaseIterable {
    /// 401: no identity source, an authorizer's `Unauthorized`, a Cognito authorizer's refusal.
    case unauthorized = "UNAUTHORIZED"
    /// 403: a Lambda authorizer's policy that does not allow the method.
    case accessDenied = "ACCESS_DENIED"

    /// The `x-amzn-ErrorType` API Gateway sends with it.
    var errorType: String {
        switch self {
        case .unauthorized: "UnauthorizedException"
        case .accessDenied: "AccessDeniedException"
        }
    }
}

/// One customized gateway response of a REST API (SAM's `GatewayResponses`): another status, static headers and a
/// static JSON body on the answer API Gateway gives. Header values that map request parameters, path or query
/// parameters and templates with variables are refused when the template is read: the stack emulates static values.
struct GatewayResponse: Sendable, Equatable {
    var status: HTTPStatus?
    var headers: [String: String]
    /// The `application/json` template, when it has no variables.
    var body: [UInt8]?

    /// The answer with this customization applied.
    func applied(to response: HTTPResponse) -> HTTPResponse {
        var customized = response
        if let status { customized.status = status }
        for (name, value) in headers { customized.headers[name.lowercased()] = value }
        if let body { customized.body = body }
        return customized
    }

    /// The `GatewayResponses` property of an `AWS::Serverless::Api`, each response understood or the reason it
    /// cannot be emulated.
    static func responses(_ property: JSONValue) throws(Refused) -> [GatewayResponseType: GatewayResponse] {
        guard let members = property.objectValue else { throw Refused(reason: "GatewayResponses must be an object, as SAM requires") }
        var responses: [GatewayResponseType: GatewayResponse] = [:]
        for (name, value) in members {
            guard let type = GatewayResponseType(rawValue: name) else {
                throw Refused(reason: "GatewayResponses.\(name) cannot be emulated locally (only "
                              + GatewayResponseType.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            responses[type] = try GatewayResponse(value, name: name)
        }
        return responses
    }

    private init(_ value: JSONValue, name: String) throws(Refused) {
        guard let members = value.objectValue else { throw Refused(reason: "GatewayResponses.\(name) must be an object") }
        let known: Set<String> = ["StatusCode", "ResponseParameters", "ResponseTemplates"]
        if let other = members.keys.sorted().first(where: { !known.contains($0) }) {
            throw Refused(reason: "GatewayResponses.\(name).\(other) cannot be emulated locally")
        }
        if let code = members["StatusCode"] {
            guard let text = code.text, let number = Int(text), (100...599).contains(number) else {
                throw Refused(reason: "GatewayResponses.\(name).StatusCode must be an HTTP status")
            }
            status = HTTPStatus(rawValue: number)
        }
        let parameters = members["ResponseParameters"]?.objectValue ?? [:]
        if let other = parameters.keys.sorted().first(where: { $0 != "Headers" }) {
            throw Refused(reason: "GatewayResponses.\(name).ResponseParameters.\(other) cannot be emulated locally")
        }
        var headers: [String: String] = [:]
        for (header, mapping) in parameters["Headers"]?.objectValue ?? [:] {
            // A static value is quoted ('…'); anything else maps a request value, which the stack does not emulate.
            guard let text = mapping.text, text.count >= 2, text.hasPrefix("'"), text.hasSuffix("'") else {
                throw Refused(reason: "GatewayResponses.\(name) header \(header) must be a static value ('…') to be emulated locally")
            }
            headers[header] = String(text.dropFirst().dropLast())
        }
        self.headers = headers
        let templates = members["ResponseTemplates"]?.objectValue ?? [:]
        if let other = templates.keys.sorted().first(where: { $0 != "application/json" }) {
            throw Refused(reason: "GatewayResponses.\(name).ResponseTemplates \(other) cannot be emulated locally (only application/json)")
        }
        if let template = templates["application/json"] {
            guard let text = template.text, !text.contains("$"), (try? JSONValue.object(parsing: Array(text.utf8))) != nil else {
                throw Refused(reason: "GatewayResponses.\(name).ResponseTemplates must be a JSON object without variables to be emulated locally")
            }
            body = Array(text.utf8)
        }
    }

    /// Why a `GatewayResponses` property cannot be emulated.
    typealias Refused = TemplateProblem
}
