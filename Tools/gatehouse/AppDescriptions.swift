import FoundationEssentials
import HTTP
import LocalStack
import Policy

/// What each app says of itself (`<app> --describe`, run beside this tool), so the tool reads routes and their
/// requirements from the handlers and links no app.
enum AppDescriptions {
    /// The descriptions of `apps`; an app missing from the result is not built.
    static func load(_ apps: some Sequence<String>) async -> [String: FunctionDescription] {
        var descriptions: [String: FunctionDescription] = [:]
        for app in Set(apps) { descriptions[app] = await describe(app) }
        return descriptions
    }

    /// What `app`'s executable says of itself, run with an empty environment; nil when it is not built.
    static func describe(_ app: String) async -> FunctionDescription? {
        guard let output = try? await FunctionProcess.run(InvokeCommand.executableDirectory() + "/" + app,
                                                          arguments: ["--describe"]),
              output.exitCode == 0, let line = output.lines.last
        else { return nil }
        return try? JSONDecoder().decode(FunctionDescription.self, from: Data(line.utf8))
    }

    /// The scope names a requirement mentions.
    static func scopes(of requirement: Requirement?) -> [String] {
        switch requirement {
        case nil, .authenticated?: []
        case .scope(let scope)?: [scope.name]
        case .scopes(.allOf(let scopes))?, .scopes(.anyOf(let scopes))?: scopes.map(\.name)
        }
    }

    /// `path` with every parameter name blanked (`/tenants/{}/wish-list`), so a template path and a handler path
    /// that name the parameter differently still match.
    static func shape(of path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("{") && $0.hasSuffix("}") ? "{}" : String($0) }.joined(separator: "/")
    }
}
