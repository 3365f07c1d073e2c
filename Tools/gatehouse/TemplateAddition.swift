import Foundation
/// A new function resource for template.json, written as the template's other functions are (same keys, same
/// order, two-space JSON), and inserted as text at the end of `Resources` so the rest of the file is untouched.
struct TemplateAddition {
    let scaffold: AppScaffold

    /// The logical id (`GreetingFunction`).
    var logicalID: String { scaffold.typeName + "Function" }

    /// `text` (template.json) with the function added as the last member of `Resources`; nil when `Resources` is
    /// not found.
    func inserting(into text: String) -> String? {
        guard let marker = text.range(of: "\"Resources\": {"), let close = Self.closingBrace(in: text, from: marker.upperBound)
        else { return nil }
        // After the last member, at the depth of its siblings.
        let lastMember = text[..<close].lastIndex(where: { !$0.isWhitespace }).map { text.index(after: $0) } ?? close
        let member = "    " + Ordered.string(logicalID).rendered(indent: 2) + ": " + resource.rendered(indent: 2, level: 2)
        return String(text[..<lastMember]) + ",\n" + member + String(text[lastMember...])
    }

    /// The index of the `}` closing the object whose `{` ends just before `start`, skipping strings.
    private static func closingBrace(in text: String, from start: String.Index) -> String.Index? {
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

    private var resource: Ordered {
        let (type, api, authorizer): (String, (String, String), String) = switch scaffold.authorizer {
        case .jwt: ("HttpApi", ("ApiId", "HttpApi"), "GatehouseJwt")
        case .none: ("HttpApi", ("ApiId", "HttpApi"), "NONE")
        case .token: ("Api", ("RestApiId", "RestApi"), "TokenAuthorizer")
        case .request: ("Api", ("RestApiId", "RestApi"), "RequestAuthorizer")
        }
        let requirement = scaffold.scope.map { "needs \($0)" } ?? "public"
        return .object([
            ("Type", "AWS::Serverless::Function"),
            ("Metadata", .object([("BuildMethod", "makefile")])),
            ("Properties", .object([
                ("FunctionName", .object([("Fn::Sub", .string("${AWS::StackName}-\(scaffold.name)"))])),
                ("Description", .string("GET \(scaffold.path): \(requirement) (made by gatehouse new)")),
                ("CodeUri", "."),
                ("Handler", "bootstrap"),
                ("Environment", .object([("Variables", .object([]))])),
                ("Events", .object([("Get" + scaffold.typeName, .object([
                    ("Type", .string(type)),
                    ("Properties", .object([
                        (api.0, .object([("Ref", .string(api.1))])),
                        ("Method", "GET"),
                        ("Path", .string(scaffold.path)),
                        ("Auth", .object([("Authorizer", .string(authorizer))])),
                    ])),
                ]))])),
            ])),
        ])
    }
}

/// JSON whose objects keep their members' order, rendered as Python's `json.dumps(indent=…)` does.
enum Ordered: ExpressibleByStringLiteral {
    case string(String)
    case object([(String, Ordered)])

    init(stringLiteral value: String) { self = .string(value) }

    /// The text at nesting `level`.
    func rendered(indent: Int, level: Int = 0) -> String {
        switch self {
        case .string(let text): return Self.quoted(text)
        case .object(let members) where members.isEmpty: return "{}"
        case .object(let members):
            let inner = String(repeating: " ", count: indent * (level + 1))
            let lines = members.map { inner + Self.quoted($0.0) + ": " + $0.1.rendered(indent: indent, level: level + 1) }
            return "{\n" + lines.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent * level) + "}"
        }
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text.unicodeScalars {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(character)
            }
        }
        return result + "\""
    }
}
