import Cedar
import FoundationEssentials
import JSON

/// The template's `AWS::VerifiedPermissions::PolicyStore`, `::Policy` and `::IdentitySource` resources as stores of
/// the local `/avp` (identity sources with the stack's issuer and audience for `Ref JwtIssuer`/`JwtAudience`),
/// each under its logical id (so `Ref` resolves to it, as a table's does): made at start and on every reload from
/// the template as it is then — a restart on the same data dir replaces them, it never adds a second store. A store
/// whose policies would fail its validation stops the stack, as CloudFormation would fail the deploy.
enum TemplatePolicyStores {
    static func sync(templatePath: String, into stores: VerifiedPermissionsStores, issuers: TokenIssuers,
                     parameters: [String: String], date: String) throws {
        let document = try configurationDocument(JSONValue.self, templatePath)
        let resources = document.objectValue?["Resources"]?.objectValue ?? [:]
        func properties(_ id: String) -> [String: JSONValue] { resources[id]?.objectValue?["Properties"]?.objectValue ?? [:] }
        let storeIDs = resources.keys.filter { resources[$0]?.objectValue?["Type"] == "AWS::VerifiedPermissions::PolicyStore" }
        var made: [VerifiedPermissionsStores.Store] = []
        for id in storeIDs.sorted() {
            let declared = properties(id)
            var local = VerifiedPermissionsStores.Store(
                id: id, description: declared["Description"]?.stringValue,
                validationMode: declared["ValidationSettings"]?.objectValue?["Mode"]?.stringValue ?? "OFF",
                createdDate: date, lastUpdatedDate: date, schema: declared["Schema"]?.objectValue?["CedarJson"]?.stringValue,
                schemaDate: date)
            let policyIDs = resources.keys.filter { key in
                resources[key]?.objectValue?["Type"] == "AWS::VerifiedPermissions::Policy"
                    && properties(key)["PolicyStoreId"]?.objectValue?["Ref"] == .string(id)
            }
            local.policies = try policyIDs.sorted(by: Self.naturalOrder).map { key in
                guard let statement = properties(key)["Definition"]?.objectValue?["Static"]?.objectValue?["Statement"]?.stringValue
                else { throw TemplateRefusal(route: key, "only static policies (Definition.Static.Statement) are emulated") }
                return VerifiedPermissionsStores.Policy(id: key, statement: statement, description: nil, createdDate: date,
                                                        lastUpdatedDate: date)
            }
            local.identitySources = try resources.keys.filter { key in
                resources[key]?.objectValue?["Type"] == "AWS::VerifiedPermissions::IdentitySource"
                    && properties(key)["PolicyStoreId"]?.objectValue?["Ref"] == .string(id)
            }.sorted().map { key in
                let declared = properties(key)
                let configuration = apiShape(declared["Configuration"] ?? .null, parameters: parameters)
                do { _ = try IdentitySourceRules(configuration, issuers: issuers) } catch let failure as VerifiedPermissionsAPI.Failure {
                    throw TemplateRefusal(route: key, failure.message)
                }
                return VerifiedPermissionsStores.IdentitySource(
                    id: key, principalEntityType: declared["PrincipalEntityType"]?.stringValue ?? "", configuration: configuration,
                    createdDate: date, lastUpdatedDate: date)
            }
            let policies = try VerifiedPermissionsStores.policySet(of: local)
            if local.validationMode == "STRICT", let schema = try VerifiedPermissionsStores.schema(of: local),
               let failure = CedarValidator(schema: schema).validate(policies).first {
                throw TemplateRefusal(route: failure.policy, "fails its store's STRICT validation: \(failure.reason)")
            }
            made.append(local)
        }
        try stores.change { stores in
            stores.removeAll { store in made.contains { $0.id == store.id } }
            stores += made
        }
    }

    /// A CloudFormation property value in the API's shape: member names from `PascalCase` to `camelCase`, `Ref`s to
    /// parameters replaced by their values.
    private static func apiShape(_ value: JSONValue, parameters: [String: String]) -> JSONValue {
        switch value {
        case .object(let members):
            if members.count == 1, let name = members["Ref"]?.stringValue { return .string(parameters[name] ?? name) }
            return .object(Dictionary(uniqueKeysWithValues: members.map { name, inner in
                (name.prefix(1).lowercased() + name.dropFirst(), apiShape(inner, parameters: parameters))
            }))
        case .array(let items): return .array(items.map { apiShape($0, parameters: parameters) })
        default: return value
        }
    }

    /// `WishListPolicy2` before `WishListPolicy10`.
    private static func naturalOrder(_ a: String, _ b: String) -> Bool {
        let (aName, aNumber) = split(a), (bName, bNumber) = split(b)
        return aName != bName ? aName < bName : aNumber < bNumber
    }

    private static func split(_ id: String) -> (String, Int) {
        let digits = id.reversed().prefix { $0.isNumber }
        return (String(id.dropLast(digits.count)), Int(String(digits.reversed())) ?? -1)
    }
}
