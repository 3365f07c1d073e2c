import HTTP
import LocalStack
import Runtime

/// `gatehouse matrix [--port N] [--template FILE]`: every route of the local stack running on `N` (default `PORT`,
/// else 3000) called as every dev identity; prints the Markdown table route × identity → status and layer, as
/// docs/authorization-matrix.md holds it. The dev provider's key is read from `GATEHOUSE_DATA` (default `.gatehouse`).
/// With `--diff REV`: the cells that change between the policy files at git revision `REV` and now (`MatrixDiff`).
enum MatrixCommand {
    static func run(_ arguments: [String]) async -> Int32 {
        guard let options = DescribedTemplate.options(arguments, known: ["port", "template", "diff"], command: "matrix"),
              let described = await DescribedTemplate.load(options, command: "matrix") else { return 2 }
        let identities = environmentVariable("GATEHOUSE_IDENTITIES") ?? "dev/identities.json"
        if let revision = options.values["diff"]?.last {
            let diff = MatrixDiff(templatePath: options.values["template"]?.last ?? "template.json", identitiesPath: identities,
                                  described: described)
            do {
                let lines = try await diff.lines(against: revision)
                writeLine(lines.isEmpty ? "no cell changes against \(revision)" : lines.joined(separator: "\n"), to: .standard)
                return 0
            } catch {
                writeLine("gatehouse matrix --diff: \(error)", to: .error)
                return 1
            }
        }
        let port = options.values["port"]?.last ?? environmentVariable("PORT") ?? "3000"
        do {
            let matrix = try await AuthorizationMatrix.run(
                base: "http://127.0.0.1:\(port)", template: described.template, descriptions: described.descriptions,
                identitiesPath: identities,
                dataFolder: environmentVariable("GATEHOUSE_DATA") ?? ".gatehouse")
            writeLine(matrix.markdown, to: .standard)
            return 0
        } catch {
            writeLine("gatehouse matrix: is `gatehouse serve` running on port \(port)? \(error)", to: .error)
            return 1
        }
    }
}
