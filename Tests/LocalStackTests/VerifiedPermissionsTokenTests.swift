import Cedar
import FoundationEssentials
import GatehouseTesting
import JSON
import Testing

/// Identity sources and token authorization at `/avp`, driven by boto3's own client: a STRICT store with the policy
/// authorizer's files and an OIDC source on the dev IdP answers `IsAuthorizedWithToken` for each dev user (the
/// principal `gatehouse|<sub>` in its `gatehouse|<group>`s, the token's scopes in `context.token`); a store with the
/// dev Cognito pool makes the principal from an ID token's claims; forged, misplaced and foreign tokens get AWS's
/// errors, never a decision. Then the same store behind the policy authorizer, through the stack's REST API.
@Suite struct VerifiedPermissionsTokenTests {
    static let python = PythonPeer.find(module: "boto3")

    static let script = VerifiedPermissionsTests.prelude + #"""
        cognito = boto3.client("cognito-idp", endpoint_url=f"{base}/cognito/", region_name="us-east-1",
                               aws_access_key_id="unused", aws_secret_access_key="unused")
        def idp(user, scope="read:profile write:wishlist"):
            body = json.dumps({"grant_type": "password", "username": user, "password": setup["passwords"][user],
                               "client_id": "gatehouse-console", "scope": scope, "audience": "https://api.gatehouse.dev"})
            request = urllib.request.Request(f"{base}/idp/oauth/token", data=body.encode(),
                                             headers={"content-type": "application/json"})
            return json.load(urllib.request.urlopen(request))["access_token"]
        def pool(user):
            result = cognito.initiate_auth(AuthFlow="USER_PASSWORD_AUTH", ClientId="gatehouse-web", AuthParameters={
                "USERNAME": user, "PASSWORD": setup["passwords"][user]})["AuthenticationResult"]
            return result["IdToken"], result["AccessToken"]
        action = {"actionType": "GatehouseApi::Action", "actionId": "get /edge/profile"}
        resource = {"entityType": "GatehouseApi::Application", "entityId": "GatehouseApi"}
        def ask(store, **tokens):
            answer = avp.is_authorized_with_token(policyStoreId=store, action=action, resource=resource, **tokens)
            return {"decision": answer["decision"], "principal": answer["principal"]["entityId"],
                    "policies": [p["policyId"] for p in answer["determiningPolicies"]], "errors": len(answer["errors"])}
        out = {}
        oidc = avp.create_policy_store(validationSettings={"mode": "STRICT"})["policyStoreId"]
        avp.put_schema(policyStoreId=oidc, definition={"cedarJson": setup["schema"]})
        names = {avp.create_policy(policyStoreId=oidc, definition={"static": {"statement": text}})["policyId"]: name
                 for name, text in setup["policies"]}
        configuration = {"openIdConnectConfiguration": {
            "issuer": f"{base}/idp/", "entityIdPrefix": "gatehouse",
            "groupConfiguration": {"groupClaim": "https://gatehouse.dev/groups", "groupEntityType": "GatehouseApi::UserGroup"},
            "tokenSelection": {"accessTokenOnly": {"audiences": ["https://api.gatehouse.dev"], "principalIdClaim": "sub"}}}}
        source = avp.create_identity_source(policyStoreId=oidc, principalEntityType="GatehouseApi::User",
                                            configuration=configuration)["identitySourceId"]
        described = avp.get_identity_source(policyStoreId=oidc, identitySourceId=source)
        out["source"] = {"type": described["principalEntityType"],
                         "issuer": described["configuration"]["openIdConnectConfiguration"]["issuer"],
                         "listed": len(avp.list_identity_sources(policyStoreId=oidc)["identitySources"])}
        tokens = {user: idp(user) for user in setup["passwords"]}
        for user, token in tokens.items():
            answer = ask(oidc, accessToken=token)
            answer["policies"] = [names[p] for p in answer["policies"]]
            out[user] = answer
        out["adaWithoutReadProfile"] = ask(oidc, accessToken=idp("ada@example.com", scope="write:wishlist"))["decision"]
        batch = avp.batch_is_authorized_with_token(policyStoreId=oidc, accessToken=tokens["ada@example.com"],
                                                   requests=[{"action": action, "resource": resource}] * 2)
        out["batch"] = [r["decision"] for r in batch["results"]] + [batch["principal"]["entityId"]]
        ada = tokens["ada@example.com"]
        pool_id, pool_access = pool("ada@example.com")
        out["errors"] = {
            "tampered": error(lambda: ask(oidc, accessToken=ada[:-6] + "AAAAAA")),
            "accessTokenAsIdentityToken": error(lambda: ask(oidc, identityToken=ada)),
            "noToken": error(lambda: avp.is_authorized_with_token(policyStoreId=oidc, action=action, resource=resource)),
            "anotherIssuersToken": error(lambda: ask(oidc, accessToken=pool_access)),
            "principalInEntities": error(lambda: ask(oidc, accessToken=ada, entities={"entityList": [{"identifier": {
                "entityType": "GatehouseApi::User", "entityId": "gatehouse|auth0|ada@example.com"}}]})),
            "secondSource": error(lambda: avp.create_identity_source(policyStoreId=oidc, principalEntityType="GatehouseApi::User",
                                                                     configuration=configuration)),
            "foreignIssuer": error(lambda: avp.update_identity_source(policyStoreId=oidc, identitySourceId=source,
                updateConfiguration={"openIdConnectConfiguration": {"issuer": "https://idp.example.com/",
                                                                    "tokenSelection": {"accessTokenOnly": {}}}})),
        }
        avp.delete_identity_source(policyStoreId=oidc, identitySourceId=source)
        out["errors"]["noSource"] = error(lambda: ask(oidc, accessToken=ada))
        users = avp.create_policy_store(validationSettings={"mode": "OFF"})["policyStoreId"]
        avp.create_policy(policyStoreId=users, definition={"static": {"statement":
            'permit (principal in GatehouseApi::UserGroup::"us-east-1_GatehouseDev|editors", action, resource) '
            'when { principal.email == "ada@example.com" };'}})
        pooled = avp.create_identity_source(policyStoreId=users, principalEntityType="GatehouseApi::User", configuration={
            "cognitoUserPoolConfiguration": {"userPoolArn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_GatehouseDev",
                                             "clientIds": ["gatehouse-web"],
                                             "groupConfiguration": {"groupEntityType": "GatehouseApi::UserGroup"}}})["identitySourceId"]
        detail = avp.get_identity_source(policyStoreId=users, identitySourceId=pooled)["configuration"]["cognitoUserPoolConfiguration"]
        dana_id, dana_access = pool("dana@example.com")
        out["cognito"] = {"issuer": detail["issuer"], "ada": ask(users, identityToken=pool_id),
                          "adaBoth": ask(users, identityToken=pool_id, accessToken=pool_access)["decision"],
                          "adaAccessOnly": ask(users, accessToken=pool_access), "dana": ask(users, identityToken=dana_id)["decision"],
                          "mixed": error(lambda: ask(users, identityToken=pool_id, accessToken=dana_access)),
                          "otherPool": error(lambda: avp.create_identity_source(policyStoreId=users, principalEntityType="A::User",
                              configuration={"cognitoUserPoolConfiguration": {
                                  "userPoolArn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other"}}))}
        templated = avp.list_identity_sources(policyStoreId="PolicyAuthorizerPolicyStore")["identitySources"]
        out["template"] = [s["configuration"]["openIdConnectConfiguration"]["issuer"] for s in templated]
        print(json.dumps(out))
        """#

    @Test(.enabled(if: python != nil, Comment(rawValue: PythonPeer.skipReason(module: "boto3"))))
    func boto3AuthorizesWithTheDevIssuersTokens() throws {
        let folder = Repository.path("Apps/PolicyAuthorizer/policies")
        let schema = try CedarSchema(text: String(decoding: try Data(contentsOf: URL(fileURLWithPath: folder + "/schema.cedarschema")),
                                                  as: UTF8.self))
        let policies = try VerifiedPermissionsTests.policyTexts(folder + "/routes.cedar").map { text -> JSONValue in
            let name = text.components(separatedBy: "@id(\"").dropFirst().first?.components(separatedBy: "\"").first ?? ""
            return .array([.string(name), .string(text)])
        }
        let stack = SeedFlowTests.stack
        let setup = JSONValue.object([
            "schema": .string(String(decoding: schema.jsonBytes, as: UTF8.self)),
            "policies": .array(policies),
            "passwords": .object(Dictionary(uniqueKeysWithValues: SharedListsFlowTests.passwords.map { ("\($0.key)@example.com", .string($0.value)) })),
        ])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("avp-tokens-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(setup.jsonText.utf8).write(to: file)
        let output = try PythonPeer.output(Self.python!, script: Self.script, arguments: [String(stack.port), file.path])
        let out = try JSONValue.object(parsing: Array(output.utf8))
        let base = "http://127.0.0.1:\(stack.port)"
        #expect(out["source"] == .object(["type": "GatehouseApi::User", "issuer": .string(base + "/idp/"), "listed": 1]))
        func answer(_ decision: String, _ principal: String, _ policies: [String]) -> JSONValue {
            .object(["decision": .string(decision), "principal": .string(principal), "policies": .array(policies.map { .string($0) }),
                     "errors": 0])
        }
        #expect(out["ada@example.com"] == answer("ALLOW", "gatehouse|auth0|ada@example.com", ["profile-readers"]))
        #expect(out["carol@example.com"] == answer("ALLOW", "gatehouse|auth0|carol@example.com", ["profile-readers"]))
        #expect(out["dana@example.com"] == answer("ALLOW", "gatehouse|auth0|dana@example.com", ["profile-readers"]))
        #expect(out["bob@example.com"] == answer("DENY", "gatehouse|auth0|bob@example.com", ["no-readers-at-the-edge"]))
        #expect(out["adaWithoutReadProfile"] == "DENY")
        #expect(out["batch"] == .array(["ALLOW", "ALLOW", "gatehouse|auth0|ada@example.com"]))
        #expect(out["errors"] == .object([
            "tampered": "ValidationException", "accessTokenAsIdentityToken": "ValidationException", "noToken": "ValidationException",
            "anotherIssuersToken": "ValidationException", "principalInEntities": "ValidationException",
            "secondSource": "ServiceQuotaExceededException", "foreignIssuer": "ValidationException", "noSource": "ValidationException",
        ]))
        let cognito = try #require(out["cognito"]?.objectValue)
        #expect(cognito["issuer"] == .string(base + "/cognito/us-east-1_GatehouseDev"))
        #expect(cognito["ada"]?.objectValue?["decision"] == "ALLOW")
        #expect(cognito["ada"]?.objectValue?["principal"]?.stringValue?.hasPrefix("us-east-1_GatehouseDev|") == true)
        #expect(cognito["adaBoth"] == "ALLOW" && cognito["dana"] == "DENY")
        // An access token alone gives the principal no attributes: the policy's `principal.email` fails, no allow.
        #expect(cognito["adaAccessOnly"]?.objectValue?["decision"] == "DENY" && cognito["adaAccessOnly"]?.objectValue?["errors"] == 1)
        #expect(cognito["mixed"] == "ValidationException" && cognito["otherPool"] == "ValidationException")
        #expect(out["template"] == .array([.string(base + "/idp/")]))
    }

    /// `GET /edge/profile` behind the policy authorizer: the template's store (its policies and its identity source on
    /// the dev IdP) decides at the edge; the stack gives the function the dev role and `/avp`, as Lambda gives a role.
    @Test func thePolicyAuthorizerDecidesTheRouteAtTheEdge() async throws {
        let stack = SeedFlowTests.stack
        let ada = try await SharedListsFlowTests.token("ada", on: stack), bob = try await SharedListsFlowTests.token("bob", on: stack)
        #expect(try await SeedFlowTests.call(stack, "GET", "/edge/profile", token: ada) == (200, #"{"name":"Ada Lovelace"}"#))
        #expect(try await SeedFlowTests.call(stack, "GET", "/edge/profile", token: bob)
            == (403, #"{"message":"User is not authorized to access this resource with an explicit deny"}"#))
        #expect(try await SeedFlowTests.call(stack, "GET", "/edge/profile") == (401, #"{"message":"Unauthorized"}"#))
        #expect(try await SeedFlowTests.call(stack, "GET", "/edge/profile", token: String(ada.dropLast(4)) + "AAAA")
            == (401, #"{"message":"Unauthorized"}"#))
    }
}
