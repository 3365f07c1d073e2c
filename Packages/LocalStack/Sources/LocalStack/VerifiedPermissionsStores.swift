import Cedar
import FoundationEssentials
import Glibc
import JSON
import Synchronization

/// Verified Permissions' policy stores as the local stack keeps them: in memory, written through to
/// `verified-permissions.json` under the data dir after every change (a temporary file renamed over the old one,
/// so a crash leaves the old state or the new, never half of one).
final class VerifiedPermissionsStores: Sendable {
    struct Policy: Codable, Sendable {
        var id: String
        /// A static policy's text (empty for a template-linked one).
        var statement: String
        var description: String?
        var createdDate: String
        var lastUpdatedDate: String
        /// A template-linked policy's template and slot values (`EntityIdentifier`s); nil for a static one.
        var link: Link?
    }

    struct Link: Codable, Sendable {
        var templateID: String
        var principal: JSONValue?
        var resource: JSONValue?
    }

    /// A policy template: a statement with `?principal` and/or `?resource` slots.
    struct Template: Codable, Sendable {
        var id: String
        var statement: String
        var description: String?
        var createdDate: String
        var lastUpdatedDate: String
    }

    /// An identity source: its `Configuration` as given (a Cognito user pool or an OIDC issuer).
    struct IdentitySource: Codable, Sendable {
        var id: String
        var principalEntityType: String
        var configuration: JSONValue
        var createdDate: String
        var lastUpdatedDate: String
    }

    struct Store: Codable, Sendable {
        var id: String
        var description: String?
        var validationMode: String
        var createdDate: String
        var lastUpdatedDate: String
        /// The schema as `cedarJson`, when one was put.
        var schema: String?
        var schemaDate: String?
        var policies: [Policy] = []
        /// Absent in files written before identity sources and templates were emulated.
        var identitySources: [IdentitySource]?
        var templates: [Template]?
        /// Bumped by every change, so a parse of the store is reused until the store changes.
        var revision: Int?
    }

    private let path: String
    private let stores: Mutex<[Store]>
    /// Each store's policies and schema as parsed at its revision: authorization calls parse nothing.
    private let parsed = Mutex<[String: (revision: Int?, policies: CedarPolicySet, schema: CedarSchema?)]>([:])
    /// The last revision given (revisions only grow, so a store made again under an old id is never a cache hit).
    private let generation: Mutex<Int>

    /// The stores kept under `dataFolder` (none at first start).
    init(dataFolder: String) throws {
        path = dataFolder + "/verified-permissions.json"
        let loaded = access(path, F_OK) == 0
            ? try JSONDecoder().decode([Store].self, from: Data(contentsOf: URL(fileURLWithPath: path))) : []
        stores = Mutex(loaded)
        generation = Mutex(loaded.compactMap(\.revision).max() ?? 0)
    }

    /// Reads the stores.
    func read<T>(_ body: ([Store]) throws -> T) rethrows -> T { try stores.withLock { try body($0) } }

    /// Changes the stores and writes them out; a thrown error changes nothing.
    func change<T>(_ body: (inout [Store]) throws -> T) throws -> T {
        try stores.withLock { stores in
            var changed = stores
            let result = try body(&changed)
            let revision = generation.withLock { count in
                count += 1
                return count
            }
            for index in changed.indices { changed[index].revision = revision }
            let data = try JSONEncoder().encode(changed)
            let temporary = path + ".tmp"
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw ServeError("cannot write \(path)") }
            stores = changed
            return result
        }
    }

    /// The store's policies and schema, parsed once per revision.
    func parsed(_ store: Store) throws -> (policies: CedarPolicySet, schema: CedarSchema?) {
        if let cached = parsed.withLock({ $0[store.id] }), cached.revision == store.revision { return (cached.policies, cached.schema) }
        let fresh = (policies: try Self.policySet(of: store), schema: try Self.schema(of: store))
        parsed.withLock { $0[store.id] = (store.revision, fresh.policies, fresh.schema) }
        return fresh
    }

    /// The store's policies as one Cedar policy set, each under its own id: its templates (which apply only through
    /// links), its static policies and its template-linked ones.
    static func policySet(of store: Store) throws -> CedarPolicySet {
        var set = try CedarPolicySet(identified: (store.templates ?? []).map { ($0.id, $0.statement) }
            + store.policies.filter { $0.link == nil }.map { ($0.id, $0.statement) })
        for policy in store.policies {
            guard let link = policy.link else { continue }
            try set.link(template: link.templateID, as: policy.id, principal: link.principal.flatMap(uid),
                         resource: link.resource.flatMap(uid))
        }
        return set
    }

    /// An `EntityIdentifier` (`{"entityType","entityId"}`) as Cedar's uid.
    static func uid(_ identifier: JSONValue) -> EntityUID? {
        guard let type = identifier.objectValue?["entityType"]?.stringValue, let id = identifier.objectValue?["entityId"]?.stringValue
        else { return nil }
        return EntityUID(type: type, id: id)
    }

    /// The store's schema, if it has one.
    static func schema(of store: Store) throws -> CedarSchema? {
        try store.schema.map { try CedarSchema(json: Array($0.utf8)) }
    }
}
