import JSON
import FoundationEssentials
import Glibc
import LocalStack

/// `gatehouse check [--template FILE] [--manifest] [--docs]`: Package.swift's app lines match the apps' folders and
/// imports (`--manifest`: only that, which needs no app built), the documentation's Swift samples compile (`--docs`:
/// only that, against the debug build's modules), the template and every app's routes (from the apps
/// themselves) agree, and every app's policies validate against its schema, which declares every action its routes ask.
/// One line per finding on stdout; exit 1 when any is an error, 2 on bad usage. `make lint` runs it.
enum CheckCommand {
    static func run(_ arguments: [String]) async -> Int32 {
        let path: String, manifestOnly: Bool, docsOnly: Bool
        do throws(CommandLineOptions.UsageError) {
            let options = try CommandLineOptions(arguments, known: ["template"], flags: ["manifest", "docs"])
            guard options.positional.isEmpty else { throw .init(message: "unexpected arguments") }
            (path, manifestOnly, docsOnly) = (options.values["template"]?.last ?? "template.json",
                                              options.setFlags.contains("manifest"), options.setFlags.contains("docs"))
        } catch {
            writeLine("gatehouse check: \(error.message)\n\(usage(of: "check"))", to: .error)
            return 2
        }
        let root = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        if docsOnly {
            let findings = await DocSamples(root: root).findings()
            for finding in findings { writeLine(finding.line, to: .standard) }
            return findings.isEmpty ? 0 : 1
        }
        // The manifest first: an app its line does not describe would not build, or would build stale.
        let manifest = (try? String(contentsOfFile: root + "/Package.swift", encoding: .utf8))
            .map { AppManifest(text: $0).findings(root: root) } ?? []
        if manifestOnly {
            for finding in manifest { writeLine(finding.line, to: .standard) }
            return manifest.isEmpty ? 0 : 1
        }
        let template: LocalTemplate, document: JSONValue
        do {
            document = try configurationDocument(JSONValue.self, path)
            template = try LocalTemplate(path: path, parameters: [:])
        } catch let refusal as TemplateRefusal {
            writeLine("error: \(refusal)", to: .standard)
            return 1
        } catch {
            writeLine("gatehouse check: \(error)", to: .error)
            return 2
        }
        let apps = discoveredApps(besides: path)
        let descriptions = await FunctionDescriptions.load(template.functions.values.map(\.app) + apps,
                                                           executables: InvokeCommand.executableDirectory())
        let findings = (manifest + AccessCheck(template: template, document: document, descriptions: descriptions, apps: apps).findings()
            + PolicyCheck(root: root, descriptions: descriptions, document: document, template: template).findings()).sorted()
        for finding in findings { writeLine(finding.line, to: .standard) }
        return findings.contains(where: \.isError) ? 1 : 0
    }

    /// The app executables under `Apps/` of the folder holding `templatePath`.
    static func discoveredApps(besides templatePath: String) -> [String] {
        let folder = templatePath.contains("/") ? String(templatePath[..<templatePath.lastIndex(of: "/")!]) : "."
        return AppFolders.executables(in: folder).values.flatMap { $0 }.sorted()
    }
}
