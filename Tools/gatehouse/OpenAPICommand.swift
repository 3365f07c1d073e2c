import HTTP
import JWT
import LocalStack
import Runtime

/// `gatehouse openapi [--template FILE]`: the OpenAPI 3.1 document of the template's routes, as the local stack on
/// `PORT` (default 3000) serves it at `/openapi.json`.
enum OpenAPICommand {
    static func run(_ arguments: [String]) async -> Int32 {
        let template: LocalTemplate
        do {
            let options = try CommandLineOptions(arguments, known: ["template"])
            template = try LocalTemplate(path: options.values["template"]?.last ?? "template.json", parameters: [:])
        } catch {
            writeLine("gatehouse openapi: \(error)\n\(usage(of: "openapi"))", to: .error)
            return 2
        }
        let descriptions = await FunctionDescriptions.load(template.functions.values.map(\.app),
                                                           executables: InvokeCommand.executableDirectory())
        let server = "http://127.0.0.1:\(environmentVariable("PORT") ?? "3000")"
        let document = OpenAPIDocument.build(template: template, descriptions: descriptions, issuer: server + "/idp/",
                                             server: server)
        writeLine(document.jsonText, to: .standard)
        return 0
    }
}
