import FoundationEssentials
public import HTTP

/// What each app says of itself (`<app> --describe`), read from its executable with an empty environment, so the
/// stack and the tools learn routes and requirements from the handlers without linking an app.
public enum FunctionDescriptions {
    /// The descriptions of `apps` found in `executables`; an app missing from the result is not built there.
    public static func load(_ apps: some Sequence<String>, executables: String) async -> [String: FunctionDescription] {
        var descriptions: [String: FunctionDescription] = [:]
        for app in Set(apps) {
            guard let output = try? await FunctionProcess.run(executables + "/" + app, arguments: ["--describe"], deadline: 30),
                  output.exitCode == 0, let line = output.lines.last,
                  let description = try? JSONDecoder().decode(FunctionDescription.self, from: Data(line.utf8))
            else { continue }
            descriptions[app] = description
        }
        return descriptions
    }
}
