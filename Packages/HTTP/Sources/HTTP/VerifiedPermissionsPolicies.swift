public import AWS
import Cedar
import JSON
public import TransportClient

/// Decisions from an Amazon Verified Permissions policy store: `IsAuthorized` over SigV4, the principal and the
/// resource sent as entities — the same question `EmbeddedPolicies` answers locally, answered by the service (or by
/// the local stack's `/avp`). A refusal by the service, or no answer, is an error (500), never an allow.
public struct VerifiedPermissionsPolicies: PolicyDecider {
    /// The policy store.
    public let storeID: String
    let client: AWSJSONClient

    /// Decisions of the store `storeID` of `service` (`AWSService.fromEnvironment(signingName: "verifiedpermissions",
    /// service: "verifiedpermissions")` reads the function's role and `AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS`).
    public init(storeID: String, service: AWSService, http: HTTPClient) {
        self.storeID = storeID
        client = AWSJSONClient(service: service, targetPrefix: "VerifiedPermissions", http: http)
    }

    /// Why the service gave no decision.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public func decide(_ question: PolicyQuestion) async throws -> PolicyDecision {
        let request = JSONValue.object([
            "policyStoreId": .string(storeID),
            "principal": Self.identifier(question.principal.uid),
            "action": .object(["actionType": "Action", "actionId": .string(question.action.name)]),
            "resource": Self.identifier(question.resource.uid),
            "entities": .object(["entityList": .array([question.principal, question.resource].map(Self.entity))]),
        ])
        return try Self.decision(in: try await client.send("IsAuthorized", body: Array(request.jsonText.utf8))).decision
    }

    /// The decision of an `IsAuthorized…` answer, with the answer itself; a refusal, or no decision, throws.
    static func decision(in response: HTTPClient.Response) throws -> (decision: PolicyDecision, answer: [String: JSONValue]) {
        let answer = try? JSONValue.object(parsing: response.body)
        guard response.status == 200, let answer, let decision = answer["decision"]?.stringValue else {
            let type = answer?["__type"]?.stringValue ?? "HTTP \(response.status)"
            throw Failure(description: "Verified Permissions gave no decision: \(type)")
        }
        let policies = (answer["determiningPolicies"]?.arrayValue ?? []).compactMap { $0.objectValue?["policyId"]?.stringValue }
        let errors = (answer["errors"]?.arrayValue ?? []).compactMap { $0.objectValue?["errorDescription"]?.stringValue }
        return (PolicyDecision(allowed: decision == "ALLOW", policies: policies, errors: errors), answer)
    }

    private static func identifier(_ uid: EntityUID) -> JSONValue {
        .object(["entityType": .string(uid.type), "entityId": .string(uid.id)])
    }

    private static func entity(_ entity: PolicyEntity) -> JSONValue {
        .object(["identifier": identifier(entity.uid), "attributes": .object(entity.attributes.mapValues(value)),
                 "parents": .array(entity.parents.map(identifier))])
    }

    /// A Cedar value as Verified Permissions' `AttributeValue` (a union with one member set).
    static func value(_ value: CedarValue) -> JSONValue {
        switch value {
        case .bool(let flag): .object(["boolean": .bool(flag)])
        case .long(let number): .object(["long": .number(Double(number))])
        case .string(let text): .object(["string": .string(text)])
        case .entity(let uid): .object(["entityIdentifier": identifier(uid)])
        case .set(let members): .object(["set": .array(members.map(Self.value))])
        case .record(let fields): .object(["record": .object(fields.mapValues(Self.value))])
        case .decimal, .ip, .datetime, .duration:
            value.extensionLiteral.map { JSONValue.object([$0.name: .string($0.text)]) } ?? .null
        }
    }
}
