import AWS
import Cedar
import FoundationEssentials
import GatehouseTesting
import HTTP
import JSON
import Policy
import Testing
@testable import WishList

/// Verified Permissions at `/avp` of `gatehouse serve`, driven by boto3's own `verifiedpermissions` client (a real
/// peer: botocore's service model, its SigV4 signer, its JSON 1.0 protocol): a STRICT store gets the wish-list
/// schema and policies, then answers the same questions as the embedded engine — decision for decision, the same
/// determining policy for each — and AWS's errors where AWS gives them. The template's own store is there too.
@Suite struct VerifiedPermissionsTests {
    static let python = PythonPeer.find(module: "boto3")

    /// What every boto3 script here starts with: the stack's port and the setup file from the arguments, a
    /// `verifiedpermissions` client signing with the dev IAM key, and `error(call)`, the AWS error code a call gets.
    static let prelude = #"""
        import boto3, botocore, json, sys, urllib.request
        port, setup = sys.argv[1], json.load(open(sys.argv[2]))
        base = f"http://127.0.0.1:{port}"
        avp = boto3.client("verifiedpermissions", endpoint_url=f"{base}/avp", region_name="us-east-1",
                           aws_access_key_id="AKIAGATEHOUSEDEV0001",
                           aws_secret_access_key="gatehouse-dev-secret-access-key-0000000000")
        def error(call):
            try:
                call()
                return "no error"
            except botocore.exceptions.ClientError as failure:
                return failure.response["Error"]["Code"]

        """#

    static let script = prelude + #"""
        store = avp.create_policy_store(validationSettings={"mode": "STRICT"}, description="Gatehouse test")["policyStoreId"]
        avp.put_schema(policyStoreId=store, definition={"cedarJson": setup["schema"]})
        ids = [avp.create_policy(policyStoreId=store, definition={"static": {"statement": text}})["policyId"]
               for text in setup["policies"]]
        from_template = [s for s in avp.list_policy_stores()["policyStores"] if s["policyStoreId"] == "WishListPolicyStore"]
        print(json.dumps({"ids": ids, "listed": len(avp.list_policies(policyStoreId=store)["policies"]),
                          "templateStores": [s.get("description", "") for s in from_template],
                          "templatePolicies": len(avp.list_policies(policyStoreId="WishListPolicyStore")["policies"]),
                          "schemaNamespaces": avp.get_schema(policyStoreId=store)["namespaces"],
                          "mode": avp.get_policy_store(policyStoreId=store)["validationSettings"]["mode"]}))
        for question in setup["questions"]:
            answer = avp.is_authorized(policyStoreId=store, **question)
            print(json.dumps({"decision": answer["decision"],
                              "policies": [p["policyId"] for p in answer["determiningPolicies"]]}))
        batch = avp.batch_is_authorized(policyStoreId=store, entities=setup["questions"][0]["entities"],
                                        requests=[{k: q[k] for k in ("principal", "action", "resource")}
                                                  for q in setup["questions"][:3]])
        print(json.dumps({"batch": [r["decision"] for r in batch["results"]]}))
        unsigned = urllib.request.Request(f"http://127.0.0.1:{port}/avp", data=b"{}", method="POST",
                                          headers={"X-Amz-Target": "VerifiedPermissions.ListPolicyStores",
                                                   "Content-Type": "application/x-amz-json-1.0"})
        try:
            urllib.request.urlopen(unsigned)
            unsigned_code = "no error"
        except urllib.error.HTTPError as failure:
            unsigned_code = json.loads(failure.read())["__type"]
        stranger = boto3.client("verifiedpermissions", endpoint_url=f"http://127.0.0.1:{port}/avp", region_name="us-east-1",
                                aws_access_key_id="AKIAGATEHOUSEDEV0001", aws_secret_access_key="wrong")
        print(json.dumps({"errors": {
            "unknownStore": error(lambda: avp.get_policy_store(policyStoreId="PSnotthere0000000000000")),
            "undeclaredAttribute": error(lambda: avp.create_policy(policyStoreId=store, definition={"static": {
                "statement": 'permit(principal, action, resource) when { resource.colour == "red" };'}})),
            "notCedar": error(lambda: avp.create_policy(policyStoreId=store, definition={"static": {"statement": "permit("}})),
            "batchOf31": error(lambda: avp.batch_is_authorized(policyStoreId=store, requests=[
                {k: setup["questions"][0][k] for k in ("principal", "action", "resource")}] * 31)),
            "unsigned": unsigned_code,
            "wrongSecret": error(lambda: stranger.list_policy_stores()),
        }}))
        avp.delete_policy_store(policyStoreId=store)
        print(json.dumps({"deleted": error(lambda: avp.get_policy_store(policyStoreId=store))}))
        """#

    /// A policy file's policies, one text each (the file is in `cedar format`'s layout: each policy ends on the
    /// first unindented line, not a comment, that ends with `;`).
    static func policyTexts(_ path: String = Repository.path("Apps/WishList/policies/lists.cedar")) throws -> [String] {
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        var policies: [String] = [], current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            current.append(line)
            if line.hasSuffix(";"), line.first != " ", !line.hasPrefix("//") {
                policies.append(current.joined(separator: "\n"))
                current = []
            }
        }
        return policies
    }

    /// One question as `IsAuthorized` takes it, and as the embedded engine takes it.
    static func question(_ who: String, tenant: String, groups: [String], action: String)
        -> (avp: JSONValue, embedded: PolicyQuestion)
    {
        let list = SharedList(id: "l1", name: "Birthday", owner: "auth0|ada@example.com", tenant: "acme",
                              viewers: ["carol@example.com"], editors: ["bob@example.com"])
        let caller = Caller(subject: "auth0|\(who)@example.com", scopes: ScopeSet([]),
                            claims: ["tenant": tenant, "email": "\(who)@example.com", "groups": groups.joined(separator: " ")],
                            source: .jwt)
        let embedded = PolicyQuestion(principal: PolicyEntity(caller: caller), action: PolicyAction(action),
                                      resource: PolicyEntity(list))
        func identifier(_ uid: EntityUID) -> JSONValue { .object(["entityType": .string(uid.type), "entityId": .string(uid.id)]) }
        func attributes(_ values: [String: CedarValue]) -> JSONValue {
            .object(values.mapValues { value -> JSONValue in
                switch value {
                case .string(let text): .object(["string": .string(text)])
                case .entity(let uid): .object(["entityIdentifier": identifier(uid)])
                case .set(let members): .object(["set": .array(members.compactMap { member in
                    if case .string(let text) = member { .object(["string": .string(text)]) } else { nil }
                })])
                default: .null
                }
            })
        }
        let entities = [embedded.principal, embedded.resource].map { (entity: PolicyEntity) -> JSONValue in
            .object(["identifier": identifier(entity.uid), "attributes": attributes(entity.attributes),
                     "parents": .array(entity.parents.map(identifier))])
        }
        let avp = JSONValue.object([
            "principal": identifier(embedded.principal.uid),
            "action": .object(["actionType": "Action", "actionId": .string(action)]),
            "resource": identifier(embedded.resource.uid),
            "entities": .object(["entityList": .array(entities)]),
        ])
        return (avp, embedded)
    }

    @Test(.enabled(if: python != nil, Comment(rawValue: PythonPeer.skipReason(module: "boto3"))))
    func boto3GetsTheEmbeddedEnginesDecisions() throws {
        let policies = try EmbeddedPolicies.forFunction(sourceFile: Repository.path("Apps/WishList/Sources/WishList/X.swift"))
        let people = [("ada", "acme", ["editors"]), ("carol", "acme", ["members"]), ("dana", "acme", ["admins"]),
                      ("bob", "globex", ["readers"]), ("service", "", [])]
        let questions = people.flatMap { who, tenant, groups in
            ["CreateList", "ViewList", "ShareList", "AddItem", "DeleteList"].map { Self.question(who, tenant: tenant, groups: groups, action: $0) }
        }
        let setup = JSONValue.object([
            "schema": .string(String(decoding: policies.schema.jsonBytes, as: UTF8.self)),
            "policies": .array(try Self.policyTexts().map { .string($0) }),
            "questions": .array(questions.map(\.avp)),
        ])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("avp-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(setup.jsonText.utf8).write(to: file)
        let output = try PythonPeer.output(Self.python!, script: Self.script,
                                                    arguments: [String(SeedFlowTests.stack.port), file.path])
        let lines = try output.split(separator: "\n").map { try JSONValue.object(parsing: Array($0.utf8)) }
        try #require(lines.count == questions.count + 4, "\(output)")
        let idValues = try #require(lines[0]["ids"]?.arrayValue)
        let ids = idValues.compactMap(\.stringValue)
        #expect(ids.count == 5 && lines[0]["listed"] == .number(5) && lines[0]["mode"] == "STRICT")
        // The template's store exists once, made by the stack from its resources, with their five policies.
        let templateStores = lines[0]["templateStores"]?.arrayValue ?? []
        #expect(templateStores.count == 1 && templateStores.first?.stringValue?.hasPrefix("Gatehouse") == true)
        #expect(lines[0]["templatePolicies"] == .number(5))
        let order = policies.policies.policies.map(\.id)
        var agreed = 0
        for (question, answer) in zip(questions, lines[1...]) {
            let decision = policies.decide(question.embedded)
            // The same decision, decided by the same policy: the Nth policy of the files is the store's Nth.
            let expected = decision.policies.compactMap { name in order.firstIndex(of: name).map { ids[$0] } }
            if answer["decision"] == .string(decision.allowed ? "ALLOW" : "DENY"),
               answer["policies"] == .array(expected.map { .string($0) }) {
                agreed += 1
            } else {
                Issue.record("\(question.embedded.principal.uid) \(question.embedded.action): here \(decision), AVP \(answer)")
            }
        }
        #expect(agreed == questions.count)
        #expect(lines[questions.count + 1]["batch"] == ["ALLOW", "ALLOW", "ALLOW"])
        let errors = try #require(lines[questions.count + 2]["errors"]?.objectValue)
        #expect(errors == ["unknownStore": "ResourceNotFoundException", "undeclaredAttribute": "ValidationException",
                           "notCedar": "ValidationException", "batchOf31": "ValidationException",
                           "unsigned": "MissingAuthenticationTokenException", "wrongSecret": "InvalidSignatureException"])
        #expect(lines[questions.count + 3]["deleted"] == "ResourceNotFoundException")
    }

    static let storeScript = #"""
        import boto3, json, sys
        port, setup = sys.argv[1], json.load(open(sys.argv[2]))
        avp = boto3.client("verifiedpermissions", endpoint_url=f"http://127.0.0.1:{port}/avp", region_name="us-east-1",
                           aws_access_key_id="AKIAGATEHOUSEDEV0001",
                           aws_secret_access_key="gatehouse-dev-secret-access-key-0000000000")
        store = avp.create_policy_store(validationSettings={"mode": "STRICT"})["policyStoreId"]
        avp.put_schema(policyStoreId=store, definition={"cedarJson": setup["schema"]})
        ids = [avp.create_policy(policyStoreId=store, definition={"static": {"statement": text}})["policyId"]
               for text in setup["policies"]]
        print(json.dumps({"store": store, "ids": ids}))
        """#

    /// The framework's own two backends, asked the same questions: the policy files in the process, and the same
    /// policies in a Verified Permissions store (the stack's `/avp`, called as a function calls the service).
    @Test(.enabled(if: python != nil, Comment(rawValue: PythonPeer.skipReason(module: "boto3"))))
    func theEmbeddedAndVerifiedPermissionsBackendsDecideAlike() async throws {
        let embedded = try EmbeddedPolicies.forFunction(sourceFile: Repository.path("Apps/WishList/Sources/WishList/X.swift"))
        let setup = JSONValue.object([
            "schema": .string(String(decoding: embedded.schema.jsonBytes, as: UTF8.self)),
            "policies": .array(try Self.policyTexts().map { .string($0) }),
        ])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("avp-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(setup.jsonText.utf8).write(to: file)
        let output = try PythonPeer.output(Self.python!, script: Self.storeScript,
                                                    arguments: [String(SeedFlowTests.stack.port), file.path])
        let created = try JSONValue.object(parsing: Array(output.utf8))
        let store = try #require(created["store"]?.stringValue)
        let ids = (created["ids"]?.arrayValue ?? []).compactMap(\.stringValue)
        let service = AWSService(region: "us-east-1",
                                 credentials: AWSCredentials(accessKeyID: "AKIAGATEHOUSEDEV0001",
                                                             secretAccessKey: "gatehouse-dev-secret-access-key-0000000000"),
                                 endpoint: SeedFlowTests.stack.base + "/avp", signingName: "verifiedpermissions")
        let remote = VerifiedPermissionsPolicies(storeID: store, service: service, http: SeedFlowTests.client)
        let order = embedded.policies.policies.map(\.id)
        var asked = 0
        for (who, tenant, groups) in [("ada", "acme", ["editors"]), ("carol", "acme", ["members"]), ("dana", "acme", ["admins"]),
                                      ("bob", "globex", ["readers"]), ("service", "", [String]())] {
            for action in ["CreateList", "ViewList", "ShareList", "AddItem", "DeleteList"] {
                let question = Self.question(who, tenant: tenant, groups: groups, action: action).embedded
                let here = embedded.decide(question), there = try await remote.decide(question)
                let mapped = here.policies.compactMap { name in order.firstIndex(of: name).map { ids[$0] } }
                #expect(there == PolicyDecision(allowed: here.allowed, policies: mapped), "\(who) \(action)")
                asked += 1
            }
        }
        #expect(asked == 25)
        // A store that does not exist gives no decision: an error, never an allow.
        let missing = VerifiedPermissionsPolicies(storeID: "PSnotthere0000000000000", service: service, http: SeedFlowTests.client)
        await #expect(throws: VerifiedPermissionsPolicies.Failure.self) {
            try await missing.decide(Self.question("ada", tenant: "acme", groups: [], action: "ViewList").embedded)
        }
    }

    static let templateScript = prelude + #"""
        store = avp.create_policy_store(validationSettings={"mode": "STRICT"})["policyStoreId"]
        avp.put_schema(policyStoreId=store, definition={"cedarJson": setup["schema"]})
        view = 'permit (principal == ?principal, action == Action::"ViewList", resource == ?resource);'
        template = avp.create_policy_template(policyStoreId=store, statement=view, description="one user, one list")["policyTemplateId"]
        question = setup["question"]
        link = avp.create_policy(policyStoreId=store, definition={"templateLinked": {
            "policyTemplateId": template, "principal": question["principal"], "resource": question["resource"]}})
        described = avp.get_policy(policyStoreId=store, policyId=link["policyId"])
        def decide(action="ViewList", resource=None):
            asked = dict(question, action={"actionType": "Action", "actionId": action})
            if resource: asked["resource"] = resource
            answer = avp.is_authorized(policyStoreId=store, **asked)
            return [answer["decision"]] + [p["policyId"] == link["policyId"] for p in answer["determiningPolicies"]]
        out = {"created": [link["policyType"], link["effect"], link["principal"] == question["principal"]],
               "described": [described["policyType"], described["definition"]["templateLinked"]["policyTemplateId"] == template],
               "template": avp.get_policy_template(policyStoreId=store, policyTemplateId=template)["statement"] == view,
               "listed": len(avp.list_policy_templates(policyStoreId=store)["policyTemplates"]),
               "view": decide(), "otherList": decide(resource={"entityType": "List", "entityId": "l2"}),
               "addItem": decide("AddItem")}
        batch = avp.batch_get_policy(requests=[{"policyStoreId": store, "policyId": link["policyId"]},
                                               {"policyStoreId": store, "policyId": "nothere"}])
        out["batch"] = [len(batch["results"]), [e["code"] for e in batch["errors"]]]
        avp.update_policy_template(policyStoreId=store, policyTemplateId=template,
                                   statement=view.replace('"ViewList"', '"AddItem"'))
        out["afterUpdate"] = [decide()[0], decide("AddItem")[0]]
        out["errors"] = {
            "staticWithSlot": error(lambda: avp.create_policy(policyStoreId=store, definition={"static": {"statement": view}})),
            "templateWithoutSlot": error(lambda: avp.create_policy_template(policyStoreId=store,
                statement='permit (principal, action, resource);')),
            "undeclaredAttribute": error(lambda: avp.create_policy_template(policyStoreId=store,
                statement='permit (principal == ?principal, action, resource) when { principal.colour == "red" };')),
            "noTemplate": error(lambda: avp.create_policy(policyStoreId=store, definition={"templateLinked": {
                "policyTemplateId": "nothere", "principal": question["principal"]}})),
            "missingSlotValue": error(lambda: avp.create_policy(policyStoreId=store, definition={"templateLinked": {
                "policyTemplateId": template, "principal": question["principal"]}})),
        }
        avp.delete_policy_template(policyStoreId=store, policyTemplateId=template)
        out["afterDelete"] = [len(avp.list_policies(policyStoreId=store)["policies"]),
                              error(lambda: avp.get_policy(policyStoreId=store, policyId=link["policyId"]))]
        print(json.dumps(out))
        """#

    /// Policy templates and template-linked policies, through boto3: a link applies its template to one user and one
    /// list, follows the template when it changes and goes with it; what AWS refuses, `/avp` refuses.
    @Test(.enabled(if: python != nil, Comment(rawValue: PythonPeer.skipReason(module: "boto3"))))
    func templatesApplyThroughTheirLinks() throws {
        let policies = try EmbeddedPolicies.forFunction(sourceFile: Repository.path("Apps/WishList/Sources/WishList/X.swift"))
        let setup = JSONValue.object([
            "schema": .string(String(decoding: policies.schema.jsonBytes, as: UTF8.self)),
            "question": Self.question("carol", tenant: "acme", groups: ["members"], action: "ViewList").avp,
        ])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("avp-templates-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(setup.jsonText.utf8).write(to: file)
        let output = try PythonPeer.output(Self.python!, script: Self.templateScript,
                                                    arguments: [String(SeedFlowTests.stack.port), file.path])
        let out = try JSONValue.object(parsing: Array(output.utf8))
        #expect(out["created"] == .array(["TEMPLATE_LINKED", "Permit", true]) && out["described"] == .array(["TEMPLATE_LINKED", true]))
        #expect(out["template"] == true && out["listed"] == 1)
        #expect(out["view"] == .array(["ALLOW", true]) && out["otherList"] == .array(["DENY"]) && out["addItem"] == .array(["DENY"]))
        #expect(out["batch"] == .array([1, .array(["POLICY_NOT_FOUND"])]))
        #expect(out["afterUpdate"] == .array(["DENY", "ALLOW"]))
        #expect(out["errors"] == .object(["staticWithSlot": "ValidationException", "templateWithoutSlot": "ValidationException",
                                          "undeclaredAttribute": "ValidationException", "noTemplate": "ResourceNotFoundException",
                                          "missingSlotValue": "ValidationException"]))
        #expect(out["afterDelete"] == .array([0, "ResourceNotFoundException"]))
    }
}
