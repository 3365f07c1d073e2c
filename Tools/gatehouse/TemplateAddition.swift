import Foundation
@_spi(Gatehouse) import JSON
/// A new function resource for template.json, written as the template's other functions are (same keys, same
/// order, two-space JSON), and inserted as text at the end of `Resources` so the rest of the file is untouched.
struct TemplateAddition {
    let scaffold: AppScaffold

    /// The logical id (`GreetingFunction`).
    var logicalID: String { scaffold.typeName + "Function" }

    /// The table's logical id (`NotesTable`), with `--table`.
    var tableID: String { scaffold.typeName + "Table" }

    /// `text` (template.json) with the function (and with `--table` its table) added as the last members of
    /// `Resources`; nil when `Resources` is not found.
    func inserting(into text: String) -> String? {
        guard scaffold.table else { return TemplateText.settingResource(logicalID, to: resource, in: text) }
        return TemplateText.settingResource(tableID, to: tableResource, in: text)
            .flatMap { TemplateText.settingResource(logicalID, to: resource, in: $0) }
    }

    /// An event name per route, unique in the function: method and the app's name, then the path's parameters after
    /// the tenant (`GetNotes`, `DeleteNotesNoteId`).
    var eventNames: [String] {
        var names: [String] = []
        for route in scaffold.serviceRoutes {
            let parameters = route.parameters.filter { $0 != "tenantId" }.map { $0.prefix(1).uppercased() + $0.dropFirst() }
            var name = route.method.prefix(1) + route.method.dropFirst().lowercased() + scaffold.typeName + parameters.joined()
            if names.contains(name) { name += String(names.count + 1) }
            names.append(name)
        }
        return names
    }

    /// The app's own table: a partition per tenant (or caller), items sorted by id, as the store's key schema says.
    private var tableResource: OrderedJSON {
        .object([
            ("Type", "AWS::DynamoDB::Table"),
            ("Properties", .object([
                ("BillingMode", "PAY_PER_REQUEST"),
                ("AttributeDefinitions", .array([
                    .object([("AttributeName", "partition"), ("AttributeType", "S")]),
                    .object([("AttributeName", "id"), ("AttributeType", "S")]),
                ])),
                ("KeySchema", .array([
                    .object([("AttributeName", "partition"), ("KeyType", "HASH")]),
                    .object([("AttributeName", "id"), ("KeyType", "RANGE")]),
                ])),
                ("PointInTimeRecoverySpecification", .object([("PointInTimeRecoveryEnabled", .bool(true))])),
            ])),
        ])
    }

    private var resource: OrderedJSON {
        let (type, api, authorizer): (String, (String, String), String) = switch scaffold.authorizer {
        case .jwt: ("HttpApi", ("ApiId", "HttpApi"), "GatehouseJwt")
        case .none: ("HttpApi", ("ApiId", "HttpApi"), "NONE")
        case .token: ("Api", ("RestApiId", "RestApi"), "TokenAuthorizer")
        case .request: ("Api", ("RestApiId", "RestApi"), "RequestAuthorizer")
        }
        let requirement = scaffold.scope.map { "needs \($0)" } ?? "public"
        let routes = scaffold.serviceRoutes
        let events: [(String, OrderedJSON)] = zip(eventNames, routes).map { name, route in
            (name, .object([
                ("Type", .string(type)),
                ("Properties", .object([
                    (api.0, .object([("Ref", .string(api.1))])),
                    ("Method", .string(route.method)),
                    ("Path", .string(route.path)),
                    ("Auth", .object([("Authorizer", .string(authorizer))])),
                ])),
            ]))
        }
        let variables: [(String, OrderedJSON)] = scaffold.table
            ? [("TABLE_NAME", .object([("Ref", .string(tableID))])), ("GATEHOUSE_STORAGE", "dynamodb")] : []
        let table: [(String, OrderedJSON)] = scaffold.table
            ? [("Policies", .array([.object([("DynamoDBCrudPolicy", .object([("TableName", .object([("Ref", .string(tableID))]))]))])]))]
            : []
        let described = routes.count == 1 ? routes[0].name : routes.map(\.name).joined(separator: ", ")
        return .object([
            ("Type", "AWS::Serverless::Function"),
            ("Metadata", .object([("BuildMethod", "makefile")])),
            ("Properties", .object([
                ("FunctionName", .object([("Fn::Sub", .string("${AWS::StackName}-\(scaffold.name)"))])),
                ("Description", .string("\(described): \(requirement) (made by gatehouse new)")),
                ("CodeUri", "."),
                ("Handler", "bootstrap"),
                ("Environment", .object([("Variables", .object(variables))])),
            ] + table + [
                ("Events", .object(events)),
            ])),
        ])
    }
}

/// Edits of template.json as text, each resource written as the template's others are (two-space JSON, in order),
/// the rest of the file untouched.
enum TemplateText {
    /// `text` with the resource `id` set to `body`: replaced where it is, else added as the last member of
    /// `Resources`; nil when `Resources` is not found.
    static func settingResource(_ id: String, to body: OrderedJSON, in text: String) -> String? {
        let rendered = body.rendered(indent: 2, level: 2)
        if let span = valueSpan(of: id, in: text) { return text.replacingCharacters(in: span, with: rendered) }
        guard let marker = text.range(of: "\"Resources\": {"), let close = closingBrace(in: text, from: marker.upperBound)
        else { return nil }
        // After the last member, at the depth of its siblings.
        let lastMember = text[..<close].lastIndex(where: { !$0.isWhitespace }).map { text.index(after: $0) } ?? close
        let member = "    " + OrderedJSON.string(id).rendered(indent: 2) + ": " + rendered
        return String(text[..<lastMember]) + ",\n" + member + String(text[lastMember...])
    }

    /// `text` without the resource `id` (and the comma before it); `text` when there is none.
    static func removingResource(_ id: String, in text: String) -> String {
        guard let key = text.range(of: "\n    " + OrderedJSON.string(id).rendered(indent: 2) + ": {"),
              let span = valueSpan(of: id, in: text), let comma = text[..<key.lowerBound].lastIndex(of: ",")
        else { return text }
        return String(text[..<comma]) + String(text[span.upperBound...])
    }

    /// Where the value of the resource `id` (a member of `Resources`, four spaces in) starts and ends.
    static func valueSpan(of id: String, in text: String) -> Range<String.Index>? {
        guard let key = text.range(of: "\n    " + OrderedJSON.string(id).rendered(indent: 2) + ": {"),
              let close = closingBrace(in: text, from: key.upperBound)
        else { return nil }
        return text.index(before: key.upperBound)..<text.index(after: close)
    }

    /// The index of the `}` closing the object whose `{` ends just before `start`, skipping strings.
    static func closingBrace(in text: String, from start: String.Index) -> String.Index? {
        var depth = 1, inString = false, escaped = false
        var index = start
        while index < text.endIndex {
            let character = text[index]
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
            } else if character == "{" {
                depth += 1
            } else if character == "}" {
                depth -= 1
                if depth == 0 { return index }
            }
            index = text.index(after: index)
        }
        return nil
    }
}

/// JSON whose objects keep their members' order, rendered as Python's `json.dumps(indent=…)` does.
enum OrderedJSON: ExpressibleByStringLiteral {
    case string(String)
    case bool(Bool)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    init(stringLiteral value: String) { self = .string(value) }

    /// As a `JSONValue` (order dropped), to compare with a template read as JSON.
    var json: JSONValue {
        switch self {
        case .string(let text): .string(text)
        case .bool(let value): .bool(value)
        case .array(let elements): .array(elements.map(\.json))
        case .object(let members): .object(Dictionary(members.map { ($0.0, $0.1.json) }, uniquingKeysWith: { _, last in last }))
        }
    }

    /// The text at nesting `level`.
    func rendered(indent: Int, level: Int = 0) -> String {
        switch self {
        case .string(let text): return Self.quoted(text)
        case .bool(let value): return value ? "true" : "false"
        case .array(let elements) where elements.isEmpty: return "[]"
        case .array(let elements):
            let inner = String(repeating: " ", count: indent * (level + 1))
            let lines = elements.map { inner + $0.rendered(indent: indent, level: level + 1) }
            return "[\n" + lines.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent * level) + "]"
        case .object(let members) where members.isEmpty: return "{}"
        case .object(let members):
            let inner = String(repeating: " ", count: indent * (level + 1))
            let lines = members.map { inner + Self.quoted($0.0) + ": " + $0.1.rendered(indent: indent, level: level + 1) }
            return "{\n" + lines.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent * level) + "}"
        }
    }

    /// `text` as a JSON string, escaped by the house's one escaper.
    private static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONText.appendString(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
