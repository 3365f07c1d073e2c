import FoundationEssentials
import Glibc
@_spi(Gatehouse) import JSON
@testable import Cedar

/// Runs cedar-integration-tests files: each names its policies, entities and schema and lists requests with the
/// decision, reasons and erroring policies Rust's Cedar gave.
struct CedarConformance {
    struct Expected {
        var request: CedarRequest
        var validate: Bool
        var allowed: Bool
        var reasons: Set<String>
        var errors: Set<String>
    }

    /// Where the files a test names are found.
    let root: String
    /// Whether the policies go through the JSON policy format (written, then read back) before they are used.
    var viaJSON = false

    /// The test file's requests and what each got here: nil where they agree, else a line saying how they differ.
    func run(_ testFile: String) -> (total: Int, disagreements: [String]) {
        do {
            var policiesPath = "", entitiesPath = "", schemaPath = ""
            var expectations: [Expected] = []
            try JSONScanner.scan(try read(testFile)) { scanner in
                try scanner.members { name, scanner in
                    switch name.text {
                    case "policies": policiesPath = try scanner.string()
                    case "entities": entitiesPath = try scanner.string()
                    case "schema": schemaPath = try scanner.string()
                    case "requests": try scanner.elements { expectations.append(try Self.expected(&$0)) }
                    default: try scanner.skip()
                    }
                }
            }
            var policies = try CedarPolicySet(text: String(decoding: try read(policiesPath), as: UTF8.self))
            if viaJSON {
                let json = policies.jsonBytes
                policies = try CedarPolicySet(json: json)
                guard policies.jsonBytes == json else { return (1, ["\(testFile): the JSON policy format did not round-trip"]) }
            }
            let schema = try CedarSchema(text: String(decoding: try read(schemaPath), as: UTF8.self))
            let entities = try CedarJSON.entities(try read(entitiesPath), schema: schema)
            var disagreements: [String] = []
            for (index, expected) in expectations.enumerated() {
                var request = expected.request
                request.context = schema.conformContext(request.context, of: request.action)
                // Every request of the tests was answered, so each must fit the schema when it asks to be checked.
                if expected.validate, let problem = schema.problem(with: request) {
                    disagreements.append("\(testFile) request \(index): refused by request validation: \(problem)")
                    continue
                }
                let response = policies.authorize(request, entities: entities)
                let errors = Set(response.errors.map(\.id))
                if response.allowed != expected.allowed || Set(response.reasons) != expected.reasons || errors != expected.errors {
                    disagreements.append("\(testFile) request \(index): expected \(expected.allowed) \(expected.reasons.sorted()) "
                        + "errors \(expected.errors.sorted()), got \(response.allowed) \(response.reasons.sorted()) "
                        + "errors \(response.errors.map { "\($0.id): \($0.error)" })")
                }
            }
            return (expectations.count, disagreements)
        } catch {
            return (1, ["\(testFile): \(error)"])
        }
    }

    /// Whether the strict validator's verdict on the test's policies is the test's `shouldValidate`; nil with why
    /// when it is not.
    func validationDisagreement(_ testFile: String) -> String? {
        do {
            var policiesPath = "", schemaPath = "", shouldValidate = true
            try JSONScanner.scan(try read(testFile)) { scanner in
                try scanner.members { name, scanner in
                    switch name.text {
                    case "policies": policiesPath = try scanner.string()
                    case "schema": schemaPath = try scanner.string()
                    case "shouldValidate": shouldValidate = try scanner.bool()
                    default: try scanner.skip()
                    }
                }
            }
            let schema = try CedarSchema(text: String(decoding: try read(schemaPath), as: UTF8.self))
            let policies = try CedarPolicySet(text: String(decoding: try read(policiesPath), as: UTF8.self))
            let failures = CedarValidator(schema: schema).validate(policies)
            guard failures.isEmpty != shouldValidate else { return nil }
            return "\(testFile): expected \(shouldValidate ? "valid" : "invalid"), got \(failures.isEmpty ? "valid" : "\(failures)")"
        } catch {
            return "\(testFile): \(error)"
        }
    }

    private func read(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + path)))
    }

    private static func expected(_ scanner: inout JSONScanner) throws -> Expected {
        var principal: EntityUID?, action: EntityUID?, resource: EntityUID?
        var context: [String: CedarValue] = [:]
        var allowed = false, validate = true
        var reasons: Set<String> = [], errors: Set<String> = []
        try scanner.members { name, scanner in
            switch name.text {
            case "principal": principal = try CedarJSON.entityUID(&scanner)
            case "action": action = try CedarJSON.entityUID(&scanner)
            case "resource": resource = try CedarJSON.entityUID(&scanner)
            case "context": context = try CedarJSON.record(&scanner)
            case "decision": allowed = try scanner.string().lowercased() == "allow"
            case "validateRequest": validate = try scanner.bool()
            case "reason": try scanner.elements { reasons.insert(try $0.string()) }
            case "errors": try scanner.elements { errors.insert(try $0.string()) }
            default: try scanner.skip()
            }
        }
        guard let principal, let action, let resource else { throw CedarJSON.Failure("a request without its entities") }
        return Expected(request: CedarRequest(principal: principal, action: action, resource: resource, context: context),
                        validate: validate, allowed: allowed, reasons: reasons, errors: errors)
    }
}
