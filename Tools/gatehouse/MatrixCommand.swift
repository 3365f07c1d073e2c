import HTTP
import LocalStack
import Runtime

/// `gatehouse matrix [--port N] [--template FILE]`: every route of the local stack running on `N` (default `PORT`,
/// else 3000) called as every dev identity; prints the Markdown table route × identity → status and layer, as
/// docs/authorization-matrix.md holds it. The dev provider's key is read from `GATEHOUSE_DATA` (default `.gatehouse`).
enum MatrixCommand {
    static func run(_ arguments: [String]) async -> Int32 {
        let template: LocalTemplate, port: String
        do {
            let options = try CommandLineOptions(arguments, known: ["port", "template"])
            port = options.values["port"]?.last ?? environmentVariable("PORT") ?? "3000"
            template = try LocalTemplate(path: options.values["template"]?.last ?? "template.json", parameters: [:])
        } catch {
            writeLine("gatehouse matrix: \(error)\n\(usage(of: "matrix"))", to: .error)
            return 2
        }
        let descriptions = await FunctionDescriptions.load(template.functions.values.map(\.app),
                                                           executables: InvokeCommand.executableDirectory())
        do {
            let matrix = try await AuthorizationMatrix.run(
                base: "http://127.0.0.1:\(port)", template: template, descriptions: descriptions,
                identitiesPath: environmentVariable("GATEHOUSE_IDENTITIES") ?? "dev/identities.json",
                dataFolder: environmentVariable("GATEHOUSE_DATA") ?? ".gatehouse")
            writeLine(matrix.markdown, to: .standard)
            return 0
        } catch {
            writeLine("gatehouse matrix: is `gatehouse serve` running on port \(port)? \(error)", to: .error)
            return 1
        }
    }
}
