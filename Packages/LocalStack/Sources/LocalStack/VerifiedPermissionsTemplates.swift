import Cedar
import JSON

/// Policy templates of `/avp` (Create, Get, List, Update, Delete, with the shapes of AWS's API reference) and
/// `BatchGetPolicy`. A template's statement must have a slot (`?principal`, `?resource`); it applies only through
/// the policies linked to it (`CreatePolicy` with `definition.templateLinked`), which change when it changes and
/// go when it goes, as AWS's `DeletePolicyTemplate` documents.
extension VerifiedPermissionsAPI {
    /// Most policies one `BatchGetPolicy` asks for.
    static let batchGetLimit = 100

    func templateOperation(_ operation: String, _ input: [String: JSONValue], date: String) throws -> [String: JSONValue] {
        let storeID = try required(input, "policyStoreId")
        switch operation {
        case "CreatePolicyTemplate", "UpdatePolicyTemplate":
            let creating = operation == "CreatePolicyTemplate"
            let statement = try required(input, "statement", longest: 10_000)
            return try changeStore(storeID) { store in
                let id = creating ? Self.newID() : try required(input, "policyTemplateId")
                var template = VerifiedPermissionsStores.Template(id: id, statement: statement,
                                                                  description: input["description"]?.stringValue,
                                                                  createdDate: date, lastUpdatedDate: date)
                guard (try? CedarPolicySet(identified: [(id, statement)]))?.policies.first?.isTemplate != false else {
                    throw Failure.validation("a policy template has a slot (?principal or ?resource): this is a static policy")
                }
                var templates = store.templates ?? []
                if creating {
                    templates.append(template)
                } else {
                    guard let position = templates.firstIndex(where: { $0.id == id }) else { throw Failure.notFound("policy template", id) }
                    template.createdDate = templates[position].createdDate
                    templates[position] = template
                }
                store.templates = templates
                let policies: CedarPolicySet
                do { policies = try VerifiedPermissionsStores.policySet(of: store) } catch {
                    throw Failure.validation("the template does not parse, or no longer fits its linked policies: \(error)")
                }
                let linked = Set(store.policies.filter { $0.link?.templateID == id }.map(\.id))
                try Self.validate(policies, of: store, only: linked.union([id]))
                return ["policyStoreId": .string(storeID), "policyTemplateId": .string(id),
                        "createdDate": .string(template.createdDate), "lastUpdatedDate": .string(date)]
            }
        case "GetPolicyTemplate":
            let template = try self.template(input)
            var output = Self.describe(template, in: storeID)
            output["statement"] = .string(template.statement)
            return output
        case "ListPolicyTemplates":
            let store = try self.store(input)
            return ["policyTemplates": .array((store.templates ?? []).map { .object(Self.describe($0, in: storeID)) })]
        default:
            let template = try self.template(input)
            try changeStore(storeID) { store in
                store.templates?.removeAll { $0.id == template.id }
                store.policies.removeAll { $0.link?.templateID == template.id }
            }
            return [:]
        }
    }

    /// `BatchGetPolicy`: each policy found in `results`, each one not in `errors` (never a failure of the whole call).
    func batchGetPolicy(_ input: [String: JSONValue]) throws -> [String: JSONValue] {
        guard let requests = input["requests"]?.arrayValue, (1...Self.batchGetLimit).contains(requests.count) else {
            throw Failure.validation("requests must hold 1 to \(Self.batchGetLimit) requests")
        }
        var results: [JSONValue] = [], errors: [JSONValue] = []
        for request in requests {
            let storeID = request.objectValue?["policyStoreId"]?.stringValue ?? ""
            let policyID = request.objectValue?["policyId"]?.stringValue ?? ""
            func error(_ code: String, _ message: String) -> JSONValue {
                .object(["code": .string(code), "policyStoreId": .string(storeID), "policyId": .string(policyID),
                         "message": .string(message)])
            }
            guard let store = stores.read({ $0.first { $0.id == storeID } }) else {
                errors.append(error("POLICY_STORE_NOT_FOUND", "policy store \(storeID) not found"))
                continue
            }
            guard let policy = store.policies.first(where: { $0.id == policyID }) else {
                errors.append(error("POLICY_NOT_FOUND", "policy \(policyID) not found"))
                continue
            }
            var described = Self.describe(policy, in: store, parsed: try stores.parsed(store).policies, definition: true)
            for member in ["principal", "resource", "effect"] { described[member] = nil }
            results.append(.object(described))
        }
        return ["results": .array(results), "errors": .array(errors)]
    }

    private func template(_ input: [String: JSONValue]) throws -> VerifiedPermissionsStores.Template {
        let store = try self.store(input)
        let id = try required(input, "policyTemplateId")
        guard let template = store.templates?.first(where: { $0.id == id }) else { throw Failure.notFound("policy template", id) }
        return template
    }

    /// A template as Get and List describe it (Get adds the statement).
    private static func describe(_ template: VerifiedPermissionsStores.Template, in storeID: String) -> [String: JSONValue] {
        var output: [String: JSONValue] = ["policyStoreId": .string(storeID), "policyTemplateId": .string(template.id),
                                           "createdDate": .string(template.createdDate),
                                           "lastUpdatedDate": .string(template.lastUpdatedDate)]
        if let description = template.description { output["description"] = .string(description) }
        return output
    }
}
