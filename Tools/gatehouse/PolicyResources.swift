import Cedar
import HTTP
import JSON
import LocalStack

/// An app's policy files as the template's Verified Permissions resources: one `AWS::VerifiedPermissions::PolicyStore`
/// (`<App>PolicyStore`, STRICT, its schema as `CedarJson`) and one `AWS::VerifiedPermissions::Policy` per policy
/// (`<App>Policy<N>`, N its position: `policyN` of the files). The files are the truth; `gatehouse sync-policies`
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
        let policies = try EmbeddedPolicies(directory: directory)
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
        for name in EmbeddedPolicies.policyFiles(in: directory) {
            texts += try CedarFormatter.formatEach(try EmbeddedPolicies.read(directory + "/" + name))
        }
        for (index, (text, policy)) in zip(texts, policies.policies.policies).enumerated() {
            let described = policy.annotations.first { $0.0 == "id" }?.1 ?? "policy\(index)"
            resources.append(Resource(id: "\(folder)Policy\(index)", body: .object([
                ("Type", "AWS::VerifiedPermissions::Policy"),
                ("Properties", .object([
                    ("PolicyStoreId", .object([("Ref", .string(store))])),
                    ("Definition", .object([("Static", .object([("Description", .string(described)), ("Statement", .string(text))]))])),
                ])),
            ])))
        }
        self.resources = resources
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
