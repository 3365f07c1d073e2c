public import Cedar
import Glibc
import Transport

/// Cedar policies and their schema shipped with the function and parsed once, at init: every `*.cedar` file of a
/// folder and its `*.cedarschema`. Each policy must validate against the schema in strict mode (as Verified
/// Permissions' `STRICT` store would) or loading fails, so a function never starts with a policy that cannot apply.
public struct EmbeddedPolicies: PolicyDecider {
    /// Why the policies could not be loaded: file, line and column where that is known.
    public struct LoadError: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The policies, in file-name order, each named by its `@id` annotation (else `policy0`, `policy1`, … by its
    /// position across the files): the names decisions, audit lines and the matrix give.
    public let policies: CedarPolicySet
    /// The schema they were validated against.
    public let schema: CedarSchema

    /// The policies `text` checked against `schema` (`file` names them in errors).
    public init(text: String, schema schemaText: String, file: String = "policies") throws(LoadError) {
        do { schema = try CedarSchema(text: schemaText) } catch {
            throw LoadError(description: "\(file).cedarschema:\(error)")
        }
        let parsed: CedarPolicySet
        do { parsed = try CedarPolicySet(text: text) } catch { throw LoadError(description: "\(file):\(error)") }
        do { policies = try parsed.namedByAnnotation() } catch { throw LoadError(description: "\(file): \(error)") }
        if let failure = CedarValidator(schema: schema).validate(policies).first {
            throw LoadError(description: "\(file): \(failure)")
        }
    }

    /// The policies in `directory`: its `*.cedar` files in name order and its one `*.cedarschema`.
    public init(directory: String) throws(LoadError) {
        let names = DirectoryEntries.names(in: directory)
        let schemas = names.filter { $0.hasSuffix(".cedarschema") }
        guard schemas.count == 1 else {
            throw LoadError(description: "\(directory): needs one .cedarschema file, has \(schemas.count)")
        }
        var text = ""
        for name in Self.policyFiles(in: directory) {
            let file = try Self.read(directory + "/" + name)
            // Each file parsed alone first, so an error names its own file and line.
            do { _ = try CedarPolicySet(text: file) } catch { throw LoadError(description: "\(directory)/\(name):\(error)") }
            text += file + "\n"
        }
        try self.init(text: text, schema: try Self.read(directory + "/" + schemas[0]), file: directory)
    }

    /// The policies of a function: `GATEHOUSE_POLICY_DIR` when set; under `GATEHOUSE_POLICY_OVERLAY` (another
    /// revision's files, for `gatehouse matrix --diff`) `<overlay>/<App>/<folder>`; else the `folder` packaged
    /// beside the executable (`$LAMBDA_TASK_ROOT/policies` on Lambda), else the app's source folder
    /// (`../../<folder>` from `sourceFile`, the caller's `#filePath`: local runs and tests).
    public static func forFunction(folder: String = "policies", sourceFile: String = #filePath) throws(LoadError)
        -> EmbeddedPolicies
    {
        var candidates: [String] = []
        if let explicit = ProcessEnvironment.nonEmptyValue("GATEHOUSE_POLICY_DIR") {
            return try EmbeddedPolicies(directory: explicit)
        }
        let components = sourceFile.split(separator: "/", omittingEmptySubsequences: false)
        if let overlay = ProcessEnvironment.nonEmptyValue("GATEHOUSE_POLICY_OVERLAY"),
           let sources = components.lastIndex(of: "Sources"), sources > 0 {
            // Another revision's files (`gatehouse matrix --diff`): `<overlay>/<App>/policies`.
            return try EmbeddedPolicies(directory: overlay + "/" + components[sources - 1] + "/" + folder)
        }
        if let root = ProcessEnvironment.nonEmptyValue("LAMBDA_TASK_ROOT") { candidates.append(root + "/" + folder) }
        candidates.append(components.dropLast(3).joined(separator: "/") + "/" + folder)
        guard let directory = candidates.first(where: Self.hasFolder) else {
            throw LoadError(description: "no policy folder at \(candidates.joined(separator: " or "))")
        }
        return try EmbeddedPolicies(directory: directory)
    }

    public func decide(_ question: PolicyQuestion) -> PolicyDecision {
        let entities = CedarEntities([
            question.principal.uid: (CedarEntity(attributes: question.principal.attributes), question.principal.parents),
            question.resource.uid: (CedarEntity(attributes: question.resource.attributes), question.resource.parents),
        ])
        let request = CedarRequest(principal: question.principal.uid,
                                   action: EntityUID(type: "Action", id: question.action.name),
                                   resource: question.resource.uid)
        let response = policies.authorize(request, entities: entities)
        return PolicyDecision(allowed: response.allowed, policies: response.reasons, errors: response.errors.map(\.id))
    }

    /// Whether `path` is a folder (where policies would be).
    public static func hasFolder(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// The `*.cedar` files of `directory`, in name order (the order their policies are numbered in).
    public static func policyFiles(in directory: String) -> [String] {
        DirectoryEntries.names(in: directory).filter { $0.hasSuffix(".cedar") }
    }

    /// The text of the file at `path`.
    public static func read(_ path: String) throws(LoadError) -> String {
        guard let file = fopen(path, "rb") else { throw LoadError(description: "\(path): cannot be read") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while case let count = fread(&chunk, 1, chunk.count, file), count > 0 { bytes += chunk[0..<count] }
        return String(decoding: bytes, as: UTF8.self)
    }
}
