import Foundation
import JSON

/// `gatehouse sync-policies [--template FILE]`: writes the template's Verified Permissions resources from each app's
/// policy files (`PolicyResources`), replacing the ones there and removing policies the files no longer have; the
/// rest of the template is untouched. `gatehouse check` fails until the template matches the files.
enum SyncPoliciesCommand {
    static func run(_ arguments: [String]) -> Int32 {
        guard let path = CommandLineOptions.templatePath(arguments, command: "sync-policies") else { return 2 }
        let root = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        do {
            var text = try String(contentsOfFile: path, encoding: .utf8)
            for (folder, generated) in try PolicyResources.all(root: root) {
                for resource in generated.resources {
                    guard let edited = TemplateText.settingResource(resource.id, to: resource.body, in: text) else {
                        throw PolicyResources.Failure(description: "\(path) has no Resources")
                    }
                    text = edited
                }
                let template = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
                for id in generated.staleIDs(in: template) { text = TemplateText.removingResource(id, in: text) }
                writeLine("\(path): Apps/\(folder)/policies as \(generated.resources.count) Verified Permissions resources",
                          to: .standard)
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return 0
        } catch {
            writeLine("gatehouse sync-policies: \(error)", to: .error)
            return 1
        }
    }
}
