import Cedar
import FoundationEssentials
import HTTP
import JSON

/// Amazon Verified Permissions at `/avp` of the local stack (SPEC §6): the AWS JSON 1.0 protocol
/// (`X-Amz-Target: VerifiedPermissions.<Operation>`), SigV4 with the dev IAM identities (service
/// `verifiedpermissions`), policy stores, schemas, static policies and identity sources, and `IsAuthorized`,
/// `IsAuthorizedWithToken` and their batches decided by the Cedar engine — so boto3's own client, pointed here, works unchanged.
struct VerifiedPermissionsAPI: Sendable {
    static let mount = "/avp"
    static let batchLimit = 30

    let stores: VerifiedPermissionsStores
    let signatures: IAMAuthorizer
    /// The issuers whose tokens identity sources may take.
    let issuers: TokenIssuers

    /// An AWS error: its `__type`, message and status.
    struct Failure: Error {
        var type: String
        var message: String
        var status: HTTPStatus = .badRequest
        var extra: [String: JSONValue] = [:]

        static func validation(_ message: String) -> Failure { Failure(type: "ValidationException", message: message) }
        static func notFound(_ kind: String, _ id: String) -> Failure {
            Failure(type: "ResourceNotFoundException", message: "\(kind) \(id) not found",
                    extra: ["resourceId": .string(id), "resourceType": .string(kind.uppercased().replacingSpaces)])
        }
    }

    func respond(to request: HTTPRequest, now: Double) -> HTTPResponse {
        do {
            if case .failure(let refusal) = signatures.authorize(request, path: request.path, api: .rest, now: now) {
                let headers = refusal.response.headers
                let type = headers.first { $0.key.lowercased() == "x-amzn-errortype" }?.value ?? "AccessDeniedException"
                let message = (try? JSONValue.object(parsing: refusal.response.body))?["message"]?.stringValue ?? "Forbidden"
                throw Failure(type: type, message: message, status: .forbidden)
            }
            let target = request.headers.first { $0.0.lowercased() == "x-amz-target" }?.1 ?? ""
            guard target.hasPrefix("VerifiedPermissions.") else {
                throw Failure(type: "UnknownOperationException", message: "unknown operation \(target.prefix(80))")
            }
            let input: [String: JSONValue]
            do { input = try JSONValue.object(parsing: request.body) } catch {
                throw Failure(type: "SerializationException", message: "the body is not a JSON object")
            }
            let output = try perform(String(target.dropFirst("VerifiedPermissions.".count)), input, now: now)
            return HTTPResponse(status: .ok, headers: ["content-type": "application/x-amz-json-1.0"],
                                body: Array(JSONValue.object(output).jsonText.utf8))
        } catch let failure as Failure {
            var body = failure.extra
            body["__type"] = .string(failure.type)
            body["message"] = .string(failure.message)
            return HTTPResponse(status: failure.status, headers: ["content-type": "application/x-amz-json-1.0",
                                                                  "x-amzn-errortype": failure.type],
                                body: Array(JSONValue.object(body).jsonText.utf8))
        } catch {
            return HTTPResponse(status: .internalServerError, headers: ["content-type": "application/x-amz-json-1.0"],
                                body: Array(#"{"__type":"InternalServerException","message":"internal error"}"#.utf8))
        }
    }

    private func perform(_ operation: String, _ input: [String: JSONValue], now: Double) throws -> [String: JSONValue] {
        let date = JSONValue.string(Self.isoDate(now))
        switch operation {
        case "CreatePolicyStore":
            let mode = input["validationSettings"]?.objectValue?["mode"]?.stringValue ?? ""
            guard ["STRICT", "OFF"].contains(mode) else { throw Failure.validation("validationSettings.mode must be STRICT or OFF") }
            let store = VerifiedPermissionsStores.Store(id: Self.newID(), description: input["description"]?.stringValue,
                                                        validationMode: mode, createdDate: date.stringValue!,
                                                        lastUpdatedDate: date.stringValue!)
            try stores.change { $0.append(store) }
            return ["policyStoreId": .string(store.id), "arn": .string(Self.arn(store.id)), "createdDate": date, "lastUpdatedDate": date]
        case "GetPolicyStore":
            let store = try self.store(input)
            var output: [String: JSONValue] = [
                "policyStoreId": .string(store.id), "arn": .string(Self.arn(store.id)),
                "validationSettings": .object(["mode": .string(store.validationMode)]),
                "createdDate": .string(store.createdDate), "lastUpdatedDate": .string(store.lastUpdatedDate),
            ]
            if let description = store.description { output["description"] = .string(description) }
            return output
        case "ListPolicyStores":
            let items = stores.read { $0 }.map { store -> JSONValue in
                var item: [String: JSONValue] = ["policyStoreId": .string(store.id), "arn": .string(Self.arn(store.id)),
                                                 "createdDate": .string(store.createdDate),
                                                 "lastUpdatedDate": .string(store.lastUpdatedDate)]
                if let description = store.description { item["description"] = .string(description) }
                return .object(item)
            }
            return ["policyStores": .array(items)]
        case "DeletePolicyStore":
            let id = try required(input, "policyStoreId")
            try stores.change { $0.removeAll { $0.id == id } }
            return [:]
        case "PutSchema":
            let id = try required(input, "policyStoreId")
            guard let text = input["definition"]?.objectValue?["cedarJson"]?.stringValue else {
                throw Failure.validation("definition.cedarJson is required")
            }
            let schema: CedarSchema
            do { schema = try CedarSchema(json: Array(text.utf8)) } catch { throw Failure.validation("invalid schema: \(error)") }
            try stores.change { stores in
                guard let index = stores.firstIndex(where: { $0.id == id }) else { throw Failure.notFound("policy store", id) }
                let policies = try VerifiedPermissionsStores.policySet(of: stores[index])
                if stores[index].validationMode == "STRICT", let failure = CedarValidator(schema: schema).validate(policies).first {
                    throw Failure.validation("the schema would make policy \(failure.policy) invalid: \(failure.reason)")
                }
                stores[index].schema = text
                stores[index].schemaDate = date.stringValue
                stores[index].lastUpdatedDate = date.stringValue!
            }
            return ["policyStoreId": .string(id), "namespaces": .array(Self.namespaces(text).map { .string($0) }),
                    "createdDate": date, "lastUpdatedDate": date]
        case "GetSchema":
            let store = try self.store(input)
            guard let schema = store.schema, let schemaDate = store.schemaDate else {
                throw Failure.notFound("schema", store.id)
            }
            return ["policyStoreId": .string(store.id), "schema": .string(schema), "createdDate": .string(schemaDate),
                    "lastUpdatedDate": .string(schemaDate), "namespaces": .array(Self.namespaces(schema).map { .string($0) })]
        case "CreatePolicy", "UpdatePolicy":
            return try putPolicy(operation == "CreatePolicy", input, date: date.stringValue!)
        case "GetPolicy":
            let (store, policy) = try self.policy(input)
            return Self.describe(policy, in: store, parsed: try stores.parsed(store).policies, definition: true)
        case "ListPolicies":
            let store = try self.store(input)
            let parsed = try stores.parsed(store).policies
            return ["policies": .array(store.policies.map { .object(Self.describe($0, in: store, parsed: parsed, definition: true)) })]
        case "BatchGetPolicy":
            return try batchGetPolicy(input)
        case "CreatePolicyTemplate", "GetPolicyTemplate", "ListPolicyTemplates", "UpdatePolicyTemplate", "DeletePolicyTemplate":
            return try templateOperation(operation, input, date: date.stringValue!)
        case "DeletePolicy":
            let (store, policy) = try self.policy(input)
            try stores.change { stores in
                stores[stores.firstIndex { $0.id == store.id }!].policies.removeAll { $0.id == policy.id }
            }
            return [:]
        case "IsAuthorized":
            let store = try self.store(input)
            return try decide(input, entities: input["entities"], in: store)
        case "BatchIsAuthorized":
            let store = try self.store(input)
            guard let requests = input["requests"]?.arrayValue, (1...Self.batchLimit).contains(requests.count) else {
                throw Failure.validation("requests must hold 1 to \(Self.batchLimit) requests")
            }
            return ["results": .array(try requests.map { request in
                var result = try decide(request.objectValue ?? [:], entities: input["entities"], in: store)
                result["request"] = request
                return .object(result)
            })]
        case "IsAuthorizedWithToken":
            let store = try self.store(input)
            let principal = try TokenPrincipal(input, store: store, issuers: issuers, schema: try? stores.parsed(store).schema, now: now)
            var result = try decide(input, entities: input["entities"], in: store, principal: principal)
            result["principal"] = principal.identifier
            return result
        case "BatchIsAuthorizedWithToken":
            let store = try self.store(input)
            guard let requests = input["requests"]?.arrayValue, (1...Self.batchLimit).contains(requests.count) else {
                throw Failure.validation("requests must hold 1 to \(Self.batchLimit) requests")
            }
            let principal = try TokenPrincipal(input, store: store, issuers: issuers, schema: try? stores.parsed(store).schema, now: now)
            return ["principal": principal.identifier, "results": .array(try requests.map { request in
                var result = try decide(request.objectValue ?? [:], entities: input["entities"], in: store, principal: principal)
                result["request"] = request
                return .object(result)
            })]
        case "CreateIdentitySource", "GetIdentitySource", "ListIdentitySources", "UpdateIdentitySource", "DeleteIdentitySource":
            return try identitySourceOperation(operation, input, date: date.stringValue!)
        default:
            throw Failure(type: "UnknownOperationException", message: "operation \(operation) is not emulated locally")
        }
    }

    private func putPolicy(_ creating: Bool, _ input: [String: JSONValue], date: String) throws -> [String: JSONValue] {
        let storeID = try required(input, "policyStoreId")
        let definition = input["definition"]?.objectValue ?? input["updatePolicyDefinition"]?.objectValue ?? [:]
        let linked = creating ? definition["templateLinked"]?.objectValue : nil
        let statement = definition["static"]?.objectValue?["statement"]?.stringValue
        guard (statement == nil) != (linked == nil) else {
            throw Failure.validation(creating ? "definition must set exactly one of static, templateLinked"
                                              : "definition.static.statement is required (only static policies are updated)")
        }
        let description = definition["static"]?.objectValue?["description"]?.stringValue
        return try changeStore(storeID) { store in
            let id = creating ? Self.newID() : try required(input, "policyId")
            var policy = VerifiedPermissionsStores.Policy(id: id, statement: statement ?? "", description: description,
                                                          createdDate: date, lastUpdatedDate: date)
            if let linked {
                let template = try required(linked, "policyTemplateId")
                guard store.templates?.contains(where: { $0.id == template }) == true else { throw Failure.notFound("policy template", template) }
                policy.link = VerifiedPermissionsStores.Link(templateID: template, principal: linked["principal"], resource: linked["resource"])
            } else if let statement, (try? CedarPolicySet(identified: [(id, statement)]))?.policies.first?.isTemplate == true {
                throw Failure.validation("a static policy has no slots (?principal, ?resource): make it a policy template")
            }
            if creating {
                store.policies.append(policy)
            } else {
                guard let position = store.policies.firstIndex(where: { $0.id == id }) else { throw Failure.notFound("policy", id) }
                guard store.policies[position].link == nil else { throw Failure.validation("a template-linked policy changes with its template") }
                policy.createdDate = store.policies[position].createdDate
                store.policies[position] = policy
            }
            let policies: CedarPolicySet
            do { policies = try VerifiedPermissionsStores.policySet(of: store) } catch {
                throw Failure.validation(linked == nil ? "the statement does not parse: \(error)" : "\(error)")
            }
            try Self.validate(policies, of: store, only: [id])
            return Self.describe(store.policies.first { $0.id == id }!, in: store, parsed: policies, definition: false)
        }
    }

    /// Refuses, in a STRICT store with a schema, the first of `ids` (every policy when nil) that fails validation.
    static func validate(_ policies: CedarPolicySet, of store: VerifiedPermissionsStores.Store, only ids: Set<String>?) throws {
        guard store.validationMode == "STRICT", let schema = try? VerifiedPermissionsStores.schema(of: store) else { return }
        let validator = CedarValidator(schema: schema)
        guard let failure = (validator.validate(policies) + validator.validateTemplates(policies))
            .first(where: { ids?.contains($0.policy) ?? true }) else { return }
        throw Failure.validation("policy \(failure.policy) fails validation against the schema: \(failure.reason)")
    }

    /// An authorization request of IsAuthorized's shape answered by the store's policies; with `principal`, the
    /// one made from the request's tokens, its groups joining the entities and its access token's claims the context.
    func decide(_ request: [String: JSONValue], entities: JSONValue?, in store: VerifiedPermissionsStores.Store,
                principal: TokenPrincipal? = nil) throws -> [String: JSONValue]
    {
        let (policies, schema): (CedarPolicySet, CedarSchema?)
        do { (policies, schema) = try stores.parsed(store) } catch { throw Failure.validation("the store's policies: \(error)") }
        var request = request
        if let principal { request["principal"] = principal.identifier }
        let cedarRequest: CedarRequest, cedarEntities: CedarEntities
        do {
            var (requestJSON, entitiesJSON) = try VerifiedPermissionsValues.cedarJSON(request: request, entities: entities)
            if let principal {
                (requestJSON, entitiesJSON) = try Self.adding(principal, to: requestJSON, entitiesJSON, schema: schema)
            }
            cedarEntities = try CedarJSON.entities(Array(entitiesJSON.jsonText.utf8), schema: schema)
            cedarRequest = try CedarJSON.request(Array(requestJSON.jsonText.utf8), schema: schema)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure.validation("\(error)")
        }
        let response = policies.authorize(cedarRequest, entities: cedarEntities)
        return ["decision": .string(response.allowed ? "ALLOW" : "DENY"),
                "determiningPolicies": .array(response.reasons.map { .object(["policyId": .string($0)]) }),
                "errors": .array(response.errors.map { .object(["errorDescription": .string("policy \($0.id): \($0.error)")]) })]
    }

    /// The request and entities with the token's principal: the caller may not describe that principal itself.
    private static func adding(_ principal: TokenPrincipal, to request: JSONValue, _ entities: JSONValue,
                               schema: CedarSchema?) throws -> (JSONValue, JSONValue) {
        guard case .object(var fields) = request, case .array(let given) = entities,
              let uid = principal.entities.first?.objectValue?["uid"] else { return (request, entities) }
        if given.contains(where: { $0.objectValue?["uid"] == uid }) {
            throw Failure.validation("the entities describe the principal the token makes; leave it out")
        }
        if let action = fields["action"]?.objectValue, let type = action["type"]?.stringValue, let id = action["id"]?.stringValue,
           let token = principal.tokenContext(for: EntityUID(type: type, id: id), schema: schema),
           case .object(var context)? = fields["context"] {
            context["token"] = token
            fields["context"] = .object(context)
        }
        return (.object(fields), .array(given + principal.entities))
    }

    func store(_ input: [String: JSONValue]) throws -> VerifiedPermissionsStores.Store {
        let id = try required(input, "policyStoreId")
        guard let store = stores.read({ $0.first { $0.id == id } }) else { throw Failure.notFound("policy store", id) }
        return store
    }

    private func policy(_ input: [String: JSONValue]) throws -> (VerifiedPermissionsStores.Store, VerifiedPermissionsStores.Policy) {
        let store = try self.store(input)
        let id = try required(input, "policyId")
        guard let policy = store.policies.first(where: { $0.id == id }) else { throw Failure.notFound("policy", id) }
        return (store, policy)
    }

    /// Changes the store `id` (and writes the stores out); a thrown error changes nothing, so a body may change the
    /// store first and check the result after.
    func changeStore<T>(_ id: String, _ body: (inout VerifiedPermissionsStores.Store) throws -> T) throws -> T {
        try stores.change { stores in
            guard let index = stores.firstIndex(where: { $0.id == id }) else { throw Failure.notFound("policy store", id) }
            return try body(&stores[index])
        }
    }

    /// The non-empty text member `name`, at most `longest` characters (ids: 200).
    func required(_ input: [String: JSONValue], _ name: String, longest: Int = 200) throws -> String {
        guard let value = input[name]?.stringValue, !value.isEmpty, value.count <= longest else {
            throw Failure.validation("1 validation error detected: Value at '\(name)' failed to satisfy constraint: "
                + "Member must not be null")
        }
        return value
    }

    /// A policy as CreatePolicy, GetPolicy and ListPolicies describe it; `policies` is the store's set, parsed.
    static func describe(_ policy: VerifiedPermissionsStores.Policy, in store: VerifiedPermissionsStores.Store,
                         parsed policies: CedarPolicySet, definition: Bool) -> [String: JSONValue] {
        let parsed = policies.policies.first { $0.id == policy.id }
        var output: [String: JSONValue] = ["policyStoreId": .string(store.id), "policyId": .string(policy.id),
                                           "policyType": policy.link == nil ? "STATIC" : "TEMPLATE_LINKED",
                                           "createdDate": .string(policy.createdDate),
                                           "lastUpdatedDate": .string(policy.lastUpdatedDate)]
        if let effect = parsed?.effect { output["effect"] = .string(effect.rawValue.capitalized) }
        if let link = policy.link {
            output["principal"] = link.principal
            output["resource"] = link.resource
        }
        guard definition else { return output }
        if let link = policy.link {
            var linked: [String: JSONValue] = ["policyTemplateId": .string(link.templateID)]
            linked["principal"] = link.principal
            linked["resource"] = link.resource
            output["definition"] = .object(["templateLinked": .object(linked)])
        } else {
            var statement: [String: JSONValue] = ["statement": .string(policy.statement)]
            if let description = policy.description { statement["description"] = .string(description) }
            output["definition"] = .object(["static": .object(statement)])
        }
        return output
    }

    private static func namespaces(_ cedarJson: String) -> [String] {
        ((try? JSONValue.object(parsing: Array(cedarJson.utf8))) ?? [:]).keys.sorted()
    }

    private static func arn(_ id: String) -> String { "arn:aws:verifiedpermissions::123456789012:policy-store/\(id)" }

    /// A new id as Verified Permissions makes them: 22 letters and digits.
    static func newID() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<22).map { _ in alphabet.randomElement()! })
    }

    static func isoDate(_ seconds: Double) -> String {
        let date = Date(timeIntervalSince1970: seconds)
        return date.formatted(.iso8601)
    }
}

private extension String {
    var replacingSpaces: String { String(map { $0 == " " ? "_" : $0 }) }
}
