import JSON
import HTTP
import LocalStack
import Runtime

/// `gatehouse openapi [--template FILE]`: the OpenAPI 3.1 document of the template's routes, as the local stack on
/// `PORT` (default 3000) serves it at `/openapi.json`.
enum OpenAPICommand {
    static func run(_ arguments: [String]) async -> Int32 {
        guard let options = DescribedTemplate.options(arguments, known: ["template"], command: "openapi"),
              let described = await DescribedTemplate.load(options, command: "openapi") else { return 2 }
        let server = "http://127.0.0.1:\(environmentVariable("PORT") ?? "3000")"
        let document = OpenAPIDocument.build(template: described.template, descriptions: described.descriptions,
                                             issuer: server + "/idp/", server: server)
        writeLine(document.jsonText, to: .standard)
        return 0
    }
}
