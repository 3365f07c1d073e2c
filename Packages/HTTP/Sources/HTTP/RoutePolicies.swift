public import AWS
import Cedar
import JSON
import Transport
public import TransportClient

/// Route-level decisions from a Verified Permissions policy store that has an identity source — the question the
/// store's API Gateway quick start asks at the edge: may the caller of this token call `METHOD ROUTE`? It is
/// `IsAuthorizedWithToken` with the action `NAMESPACE::Action::"get /route"` (method in lower case, the route as
/// the API declares it) and the API as the resource, `NAMESPACE::Application::"NAMESPACE"`. The service verifies
/// the token and makes the principal from its claims and groups. No resource is loaded: decisions about *this*
/// list or *this* document belong in the handler (`RequestContext.authorize`).
public struct RoutePolicies: Sendable {
    /// The policy store.
    public let storeID: String
    /// The Cedar namespace of the store's actions and `Application`.
    public let namespace: String
    let client: AWSJSONClient

    /// Decisions of store `storeID` whose schema declares `namespace`.
    public init(storeID: String, namespace: String, service: AWSService, http: HTTPClient) {
        (self.storeID, self.namespace) = (storeID, namespace)
        client = AWSJSONClient(service: service, targetPrefix: "VerifiedPermissions", http: http)
    }

    /// The store `POLICY_STORE_ID` with namespace `POLICY_NAMESPACE`, called with the function's role (and
    /// `AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS` when set).
    public static func fromEnvironment(http: HTTPClient? = nil) throws -> RoutePolicies {
        guard let store = ProcessEnvironment.nonEmptyValue("POLICY_STORE_ID") else {
            throw PolicyBackend.Misconfigured(description: "environment variable POLICY_STORE_ID is required")
        }
        guard let namespace = ProcessEnvironment.nonEmptyValue("POLICY_NAMESPACE") else {
            throw PolicyBackend.Misconfigured(description: "environment variable POLICY_NAMESPACE is required")
        }
        let service = try PolicyBackend.verifiedPermissions(for: "POLICY_STORE_ID")
        return RoutePolicies(storeID: store, namespace: namespace, service: service, http: try http ?? HTTPClient())
    }

    /// The Cedar action id of a route: `get /lists/{id}`.
    public static func actionID(method: String, route: String) -> String { "\(method.lowercased()) \(route)" }

    /// The decision for the caller of `accessToken` on `method route`, with the path parameters as context
    /// (`context.pathParameters`, as the quick start passes them); the principal the service made from the token
    /// comes back with it. A refusal by the service, or no answer, throws: never an allow.
    public func decide(accessToken: String, method: String, route: String, pathParameters: [String: String])
        async throws -> (decision: PolicyDecision, principal: String?)
    {
        var request: [String: JSONValue] = [
            "policyStoreId": .string(storeID), "accessToken": .string(accessToken),
            "action": .object(["actionType": .string(namespace + "::Action"),
                               "actionId": .string(Self.actionID(method: method, route: route))]),
            "resource": .object(["entityType": .string(namespace + "::Application"), "entityId": .string(namespace)]),
        ]
        if !pathParameters.isEmpty {
            let record = JSONValue.object(pathParameters.mapValues { .object(["string": .string($0)]) })
            request["context"] = .object(["contextMap": .object(["pathParameters": .object(["record": record])])])
        }
        let body = Array(JSONValue.object(request).jsonText.utf8)
        let (result, answer) = try VerifiedPermissionsPolicies.decision(in: try await client.send("IsAuthorizedWithToken", body: body))
        let principal = answer["principal"]?.objectValue.flatMap { fields -> String? in
            guard let type = fields["entityType"]?.stringValue, let id = fields["entityId"]?.stringValue else { return nil }
            return "\(type)::\"\(id)\""
        }
        PolicyDecisionLog.current?.record(action: PolicyAction(Self.actionID(method: method, route: route)),
                                          resource: EntityUID(type: namespace + "::Application", id: namespace), decision: result)
        return (result, principal)
    }
}
