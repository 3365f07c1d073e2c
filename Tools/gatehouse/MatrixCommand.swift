import HTTP
import LocalStack
import Runtime

/// `gatehouse matrix [--port N] [--template FILE]`: every route of the local stack running on `N` (default `PORT`,
/// else 3000) called as every dev identity; prints the Markdown table route × identity → status and layer, as
/// docs/authorization-matrix.md holds it. The dev provider's key is read from `GATEHOUSE_DATA` (default `.gatehouse`).
enum MatrixCommand {
    static func run(_ arguments: [String]) async -> Int32 {
        guard let options = DescribedTemplate.options(arguments, known: ["port", "template"], command: "matrix"),
              let described = await DescribedTemplate.load(options, command: "matrix") else { return 2 }
        let port = options.values["port"]?.last ?? environmentVariable("PORT") ?? "3000"
        do {
            let matrix = try await AuthorizationMatrix.run(
                base: "http://127.0.0.1:\(port)", template: described.template, descriptions: described.descriptions,
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
