import JSON
import LocalStack
import Glibc
import Runtime

/// `gatehouse invoke <app> --event FILE`: runs one app's real executable under the Runtime API server, hands it the
/// event, prints the response JSON on stdout (exit 0) or the function's error on stderr (exit 1).
enum InvokeCommand {
    /// The apps it can run: those under `Apps/` (in this folder) whose executable is built.
    static func apps() -> [String] {
        CheckCommand.discoveredApps(besides: "template.json").filter { access(executableDirectory() + "/" + $0, X_OK) == 0 }
    }

    /// Local defaults for what `template.json` sets on AWS; the caller's environment wins.
    static let localDefaults = [
        "JWT_AUDIENCE": "https://api.gatehouse.dev",
        "LOG_LEVEL": "warn",
    ]

    static func run(_ arguments: [String]) async -> Int32 {
        let options: CommandLineOptions
        do {
            options = try CommandLineOptions(arguments, known: ["event", "timeout"])
            let apps = apps()
            guard options.positional.count == 1, apps.contains(options.positional[0]) else {
                throw CommandLineOptions.UsageError(message: apps.isEmpty
                    ? "no app is built here (run it at the repository's root after make run or swift build)"
                    : "name one app: \(apps.joined(separator: ", "))")
            }
        } catch let error as CommandLineOptions.UsageError {
            writeLine("gatehouse invoke: \(error.message)\n\(usage(of: "invoke"))", to: .error)
            return 2
        } catch {
            return 2
        }
        let app = options.positional[0]
        guard let eventPath = options.values["event"]?.last, let event = readAll(eventPath) else {
            writeLine("gatehouse invoke: --event FILE is required and must be readable\n\(usage(of: "invoke"))", to: .error)
            return 2
        }
        var environment = localDefaults.filter { environmentVariable($0.key) == nil }
        if environmentVariable("TABLE_NAME") == nil { environment["TABLE_NAME"] = app }
        if environmentVariable("SESSIONS_TABLE") == nil { environment["SESSIONS_TABLE"] = app + "-sessions" }
        do {
            // The same key `gatehouse serve` uses for this data folder, so tokens from one are trusted by the other.
            environment["SECRET_KEY"] = try LocalSecret.secretKey(in: environmentVariable("GATEHOUSE_DATA") ?? ".gatehouse",
                                                                  given: environmentVariable("SECRET_KEY"))
            let server = try RuntimeAPIServer()
            environment["AWS_LAMBDA_RUNTIME_API"] = server.endpoint
            // The function's own log lines go to stderr, so stdout carries only the response.
            let process = try FunctionProcess(executable: executableDirectory() + "/" + app, environment: environment,
                                              onOutputLine: { writeLine($0, to: .error) })
            server.admit(processID: process.pid)
            defer {
                process.kill()
                server.shutdown()
            }
            let timeout = Int64(options.values["timeout"]?.last.flatMap(Int64.init) ?? 10) * 1000
            switch try await server.invoke(InvocationRequest(event: event, timeoutMilliseconds: timeout)) {
            case .response(let body):
                writeLine(String(decoding: body, as: UTF8.self), to: .standard)
                return 0
            case .error(let error):
                writeLine("{\"errorType\":\"\(error.type)\",\"errorMessage\":\(quoted(error.message))}", to: .error)
                return 1
            case .timedOut:
                writeLine("gatehouse invoke: \(app) timed out after \(timeout / 1000) s", to: .error)
                return 1
            }
        } catch RuntimeAPIServer.Failure.initFailed(let error) {
            writeLine("gatehouse invoke: \(app) failed to start: \(error.type): \(error.message)", to: .error)
            return 1
        } catch {
            writeLine("gatehouse invoke: \(error)", to: .error)
            return 1
        }
    }

    private static func quoted(_ text: String) -> String { JSONValue.string(text).jsonText }

    /// The folder of this executable, where the app executables were built too.
    static func executableDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let path = String(decoding: buffer[0..<max(0, count)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }
}
