import JSON

/// Identity sources of `/avp`: Create, Get, List, Update and Delete with the shapes of AWS's API reference. The
/// configuration is kept as given and described back in the `ConfigurationDetail` shape (a Cognito source adds
/// the pool's issuer; its client ids are always listed).
extension VerifiedPermissionsAPI {
    /// AWS's quota of identity sources a policy store.
    static let identitySourceLimit = 1

    func identitySourceOperation(_ operation: String, _ input: [String: JSONValue], date: String) throws -> [String: JSONValue] {
        let storeID = try required(input, "policyStoreId")
        switch operation {
        case "CreateIdentitySource":
            guard let configuration = input["configuration"] else { throw Failure.validation("configuration is required") }
            let source = VerifiedPermissionsStores.IdentitySource(
                id: Self.newID(), principalEntityType: try principalEntityType(input),
                configuration: configuration, createdDate: date, lastUpdatedDate: date)
            _ = try IdentitySourceRules(configuration, issuers: issuers)
            try changeStore(storeID) { store in
                guard (store.identitySources ?? []).count < Self.identitySourceLimit else {
                    throw Failure(type: "ServiceQuotaExceededException",
                                  message: "a policy store has at most \(Self.identitySourceLimit) identity source",
                                  extra: ["resourceType": "IDENTITY_SOURCE", "serviceCode": "verifiedpermissions",
                                          "quotaCode": "identity-sources-per-policy-store"])
                }
                store.identitySources = (store.identitySources ?? []) + [source]
            }
            return ["policyStoreId": .string(storeID), "identitySourceId": .string(source.id),
                    "createdDate": .string(date), "lastUpdatedDate": .string(date)]
        case "GetIdentitySource":
            let source = try identitySource(input)
            return try describe(source, in: storeID)
        case "ListIdentitySources":
            let store = try self.store(input)
            return ["identitySources": .array(try (store.identitySources ?? []).map { .object(try describe($0, in: storeID)) })]
        case "UpdateIdentitySource":
            let source = try identitySource(input)
            guard let configuration = input["updateConfiguration"] else { throw Failure.validation("updateConfiguration is required") }
            _ = try IdentitySourceRules(configuration, issuers: issuers)
            let type = input["principalEntityType"] == nil ? source.principalEntityType : try principalEntityType(input)
            try changeStore(storeID) { store in
                // Deleted by another request since it was read: as AWS answers for a source that is not there.
                guard let index = store.identitySources?.firstIndex(where: { $0.id == source.id }) else {
                    throw Failure.notFound("identity source", source.id)
                }
                store.identitySources![index].configuration = configuration
                store.identitySources![index].principalEntityType = type
                store.identitySources![index].lastUpdatedDate = date
            }
            return ["policyStoreId": .string(storeID), "identitySourceId": .string(source.id),
                    "createdDate": .string(source.createdDate), "lastUpdatedDate": .string(date)]
        default:
            let source = try identitySource(input)
            try changeStore(storeID) { $0.identitySources?.removeAll { $0.id == source.id } }
            return [:]
        }
    }

    private func principalEntityType(_ input: [String: JSONValue]) throws -> String {
        guard let type = input["principalEntityType"]?.stringValue, IdentitySourceRules.isEntityType(type) else {
            throw Failure.validation("principalEntityType must name the entity type of the principals (e.g. MyApp::User)")
        }
        return type
    }

    private func identitySource(_ input: [String: JSONValue]) throws -> VerifiedPermissionsStores.IdentitySource {
        let store = try self.store(input)
        let id = try required(input, "identitySourceId")
        guard let source = store.identitySources?.first(where: { $0.id == id }) else { throw Failure.notFound("identity source", id) }
        return source
    }

    /// An identity source as Get and List describe it.
    private func describe(_ source: VerifiedPermissionsStores.IdentitySource, in storeID: String) throws -> [String: JSONValue] {
        var configuration = source.configuration
        var details: [String: JSONValue] = [:]
        if case .object(var cognito)? = configuration.objectValue?["cognitoUserPoolConfiguration"] {
            let rules = try IdentitySourceRules(configuration, issuers: issuers)
            cognito["issuer"] = .string(rules.issuer)
            cognito["clientIds"] = cognito["clientIds"] ?? .array([])
            configuration = .object(["cognitoUserPoolConfiguration": .object(cognito)])
            details = ["userPoolArn": cognito["userPoolArn"]!, "clientIds": cognito["clientIds"]!, "openIdIssuer": "COGNITO",
                       "discoveryUrl": .string(rules.issuer + "/.well-known/openid-configuration")]
        }
        return ["policyStoreId": .string(storeID), "identitySourceId": .string(source.id),
                "principalEntityType": .string(source.principalEntityType), "configuration": configuration,
                "details": .object(details), "createdDate": .string(source.createdDate),
                "lastUpdatedDate": .string(source.lastUpdatedDate)]
    }
}
