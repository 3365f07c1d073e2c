import Cedar
import HTTP
import JSON
import LocalStack
import Transport

/// An app's policy files as the template's Verified Permissions resources: one `AWS::VerifiedPermissions::PolicyStore`
/// (`<App>PolicyStore`, STRICT, its schema as `CedarJson`) and one `AWS::VerifiedPermissions::Policy` per policy
/// (`<App>Policy<Name>`, its name in upper camel case: `@id("same-tenant")` → `WishListPolicySameTenant`). The files are the truth; `gatehouse sync-policies`
/// writes these resources from them and `gatehouse check` fails while the template differs.
struct PolicyResources {
    /// One resource of the template.
    struct Resource {
        let id: String
        let body: OrderedJSON
    }

    /// The resources, in order (the store first).
    let resources: [Resource]

    /// Why the resources could not be written.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The resources of the app folder `folder` (`WishList`) whose policies are in `directory`.
    init(folder: String, directory: String) throws {
        let schemas = DirectoryEntries.names(in: directory).filter { $0.hasSuffix(".cedarschema") }
        guard schemas.count == 1 else { throw Failure(description: "\(directory): needs one .cedarschema file") }
        try self.init(folder: folder, schema: try EmbeddedPolicies.read(directory + "/" + schemas[0]),
                      files: try EmbeddedPolicies.policyFiles(in: directory).map { ($0, try EmbeddedPolicies.read(directory + "/" + $0)) })
    }

    /// The resources of the app folder `folder` whose schema and policy files (name, text; in name order) are given.
    init(folder: String, schema: String, files: [(name: String, text: String)]) throws {
        let policies = try EmbeddedPolicies(text: files.map(\.text).joined(separator: "\n"), schema: schema, file: folder)
        let store = folder + "PolicyStore"
        var resources = [Resource(id: store, body: .object([
            ("Type", "AWS::VerifiedPermissions::PolicyStore"),
            ("Properties", .object([
                ("Description", .string("Gatehouse policies of Apps/\(folder) (written by gatehouse sync-policies)")),
                ("ValidationSettings", .object([("Mode", "STRICT")])),
                ("Schema", .object([("CedarJson", .string(String(decoding: policies.schema.jsonBytes, as: UTF8.self)))])),
            ])),
        ]))]
        var texts: [String] = []
        for file in files { texts += try CedarFormatter.formatEach(file.text) }
        for (text, policy) in zip(texts, policies.policies.policies) {
            resources.append(Resource(id: folder + "Policy" + Self.logicalName(policy.id), body: .object([
                ("Type", "AWS::VerifiedPermissions::Policy"),
                ("Properties", .object([
                    ("PolicyStoreId", .object([("Ref", .string(store))])),
                    ("Definition", .object([("Static", .object([("Description", .string(policy.id)), ("Statement", .string(text))]))])),
                ])),
            ])))
        }
        self.resources = resources
    }

    /// The template's policies of this store that the files no longer have.
    func staleIDs(in template: JSONValue) -> [String] {
        let store = resources[0].id, expected = Set(resources.map(\.id))
        return (template.objectValue?["Resources"]?.objectValue ?? [:]).compactMap { id, resource in
            let body = resource.objectValue
            let storeRef = body?["Properties"]?.objectValue?["PolicyStoreId"]?.objectValue?["Ref"]
            return body?["Type"] == "AWS::VerifiedPermissions::Policy" && storeRef == .string(store) && !expected.contains(id)
                ? id : nil
        }.sorted()
    }

    /// `same-tenant` → `SameTenant`, `policy3` → `Policy3`: a policy's name as part of a logical id (letters and
    /// digits only).
    static func logicalName(_ name: String) -> String {
        name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// The resources of every app under `root` that has a `policies/` folder.
    static func all(root: String) throws -> [(folder: String, resources: PolicyResources)] {
        try AppFolders.executables(in: root).keys.sorted().compactMap { folder in
            let directory = (root == "." ? "" : root + "/") + "Apps/" + folder + "/policies"
            guard EmbeddedPolicies.hasFolder(directory) else { return nil }
            return (folder, try PolicyResources(folder: folder, directory: directory))
        }
    }
}
