import Cedar
import JSON
import Transport

/// `gatehouse cedar authorize|validate|format` (SPEC §6): Cedar authorization of JSON Lines requests against policy,
/// entity and schema files, one answer line per request; strict validation of policies against a schema; policies in
/// Cedar's canonical layout.
enum CedarCommand {
    struct Refusal: Error { let message: String }

    static func authorize(_ arguments: [String]) -> Int32 {
        let options: CommandLineOptions
        do throws(CommandLineOptions.UsageError) {
            options = try CommandLineOptions(arguments, known: ["policies", "entities", "schema", "requests"], flags: ["timing"])
            guard options.positional.isEmpty else { throw CommandLineOptions.UsageError(message: "unexpected \(options.positional[0])") }
            _ = try (options.required("policies"), options.required("entities"), options.required("requests"))
        } catch {
            writeLine("gatehouse cedar authorize: \(error.message)\n\(usage(of: "cedar", "authorize"))", to: .error)
            return 2
        }
        do throws(Refusal) {
            let schema = try options.values["schema"]?.last.map { path throws(Refusal) in try loadSchema(path) }
            let policies = try loadPolicies(options.values["policies"]!.last!)
            let entitiesPath = options.values["entities"]!.last!
            let entities: CedarEntities
            do { entities = try CedarJSON.entities(try contents(entitiesPath), schema: schema) } catch {
                throw Refusal(message: "\(entitiesPath): \(error)")
            }
            let requestsPath = options.values["requests"]!.last!
            let lines = try contents(requestsPath).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
            var refused = false
            for (index, line) in lines.enumerated() {
                let request: CedarRequest
                do { request = try CedarJSON.request(Array(line), schema: schema) } catch let problem as CedarJSON.RequestProblem {
                    // A request the schema refuses is answered on its line; the command fails after the last.
                    writeLine(JSONValue.object(["error": .string(problem.description)]).jsonText, to: .standard)
                    refused = true
                    continue
                } catch {
                    throw Refusal(message: "\(requestsPath):\(index + 1): \(error)")
                }
                let start = monotonicNanoseconds()
                let response = policies.authorize(request, entities: entities)
                let nanos = monotonicNanoseconds() - start
                var answer: [String: JSONValue] = [
                    "decision": .string(response.allowed ? "allow" : "deny"),
                    "reasons": .array(response.reasons.map { JSONValue.string($0) }),
                    "errors": .array(response.errors.map { JSONValue.string($0.id) }),
                ]
                if options.setFlags.contains("timing") { answer["nanos"] = .number(Double(nanos)) }
                writeLine(JSONValue.object(answer).jsonText, to: .standard)
            }
            return refused ? 1 : 0
        } catch {
            writeLine("error: \(error.message)", to: .error)
            return 1
        }
    }

    /// `gatehouse cedar validate --policies FILE --schema FILE`: exit 0 when every policy validates in strict mode,
    /// else one line per failure (`policyN: …`) on stdout and exit 1.
    static func validate(_ arguments: [String]) -> Int32 {
        let options: CommandLineOptions
        do throws(CommandLineOptions.UsageError) {
            options = try CommandLineOptions(arguments, known: ["policies", "schema"])
            guard options.positional.isEmpty else { throw CommandLineOptions.UsageError(message: "unexpected \(options.positional[0])") }
            _ = try (options.required("policies"), options.required("schema"))
        } catch {
            writeLine("gatehouse cedar validate: \(error.message)\n\(usage(of: "cedar", "validate"))", to: .error)
            return 2
        }
        do throws(Refusal) {
            let schema = try loadSchema(options.values["schema"]!.last!)
            let failures = CedarValidator(schema: schema).validate(try loadPolicies(options.values["policies"]!.last!))
            for failure in failures { writeLine(failure.description, to: .standard) }
            return failures.isEmpty ? 0 : 1
        } catch {
            writeLine("error: \(error.message)", to: .error)
            return 1
        }
    }

    /// `gatehouse cedar format [FILE]`: the policies in FILE (standard input without one) laid out as `cedar format`
    /// lays them out, on stdout; exit 1 and `error: FILE:LINE:COL: …` when they do not parse.
    static func format(_ arguments: [String]) -> Int32 {
        guard arguments.count <= 1, arguments.first?.hasPrefix("-") != true || arguments.first == "-" else {
            writeLine("gatehouse cedar format: unexpected \(arguments.last!.prefix(40))\n\(usage(of: "cedar", "format"))", to: .error)
            return 2
        }
        let path = arguments.first ?? "-"
        do throws(Refusal) {
            let text = String(decoding: try contents(path), as: UTF8.self)
            do { writeText(try CedarFormatter.format(text), to: .standard) } catch { throw Refusal(message: "\(path):\(error)") }
            return 0
        } catch {
            writeLine("error: \(error.message)", to: .error)
            return 1
        }
    }

    private static func loadSchema(_ path: String) throws(Refusal) -> CedarSchema {
        guard path.hasSuffix(".json") else { return try parse(path) { text throws(CedarParseError) in try CedarSchema(text: text) } }
        do { return try CedarSchema(json: try contents(path)) } catch { throw Refusal(message: "\(path): \(error)") }
    }

    private static func loadPolicies(_ path: String) throws(Refusal) -> CedarPolicySet {
        guard path.hasSuffix(".json") else { return try parse(path) { text throws(CedarParseError) in try CedarPolicySet(text: text) } }
        do { return try CedarPolicySet(json: try contents(path)) } catch { throw Refusal(message: "\(path): \(error)") }
    }

    private static func contents(_ path: String) throws(Refusal) -> [UInt8] {
        guard let bytes = readAll(path) else { throw Refusal(message: "\(path): cannot be read") }
        return bytes
    }

    /// The file at `path` parsed as Cedar text; `error: FILE:LINE:COL: …` when it does not parse.
    private static func parse<T>(_ path: String, _ parse: (String) throws(CedarParseError) -> T) throws(Refusal) -> T {
        let text = String(decoding: try contents(path), as: UTF8.self)
        do { return try parse(text) } catch { throw Refusal(message: "\(path):\(error)") }
    }
}
