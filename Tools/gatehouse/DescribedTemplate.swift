import HTTP
import LocalStack

/// The template a command reads (`--template`, default template.json) and what each of its apps' executables,
/// built beside this tool, says of itself.
struct DescribedTemplate {
    let template: LocalTemplate
    let descriptions: [String: FunctionDescription]

    /// Reads the template `options` name, or writes the usage error of `command` and returns nil.
    static func load(_ options: CommandLineOptions, command: String) async -> DescribedTemplate? {
        let template: LocalTemplate
        do {
            template = try LocalTemplate(path: options.values["template"]?.last ?? "template.json", parameters: [:])
        } catch {
            writeLine("gatehouse \(command): \(error)\n\(usage(of: command))", to: .error)
            return nil
        }
        let descriptions = await FunctionDescriptions.load(template.functions.values.map(\.app),
                                                           executables: InvokeCommand.executableDirectory())
        return DescribedTemplate(template: template, descriptions: descriptions)
    }

    /// The options of `arguments`, or nil after writing the usage error of `command`.
    static func options(_ arguments: [String], known: Set<String>, command: String) -> CommandLineOptions? {
        do throws(CommandLineOptions.UsageError) {
            let options = try CommandLineOptions(arguments, known: known)
            guard options.positional.isEmpty else {
                throw .init(message: "unexpected argument \(options.positional[0].prefix(40)) (it takes options only)")
            }
            return options
        } catch {
            writeLine("gatehouse \(command): \(error.message)\n\(usage(of: command))", to: .error)
            return nil
        }
    }
}
