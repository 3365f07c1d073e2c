import Glibc
import HTTP
import HTTPWire
import Runtime

/// `gatehouse serve [--port N] [--template FILE]`: the local stack: API Gateway, the functions as real executables
/// and the dev identity provider on 127.0.0.1, data under `GATEHOUSE_DATA` (default `.gatehouse`).
enum ServeCommand {
    /// The local value of the `SecretKey` parameter when none is given.
    static let developmentSecret = "gatehouse-local-development-secret-key-0001"

    static func run(_ arguments: [String]) async -> Int32 {
        let options: CommandLineOptions
        do {
            options = try CommandLineOptions(arguments, known: ["port", "template"])
        } catch {
            writeLine("gatehouse serve: \(error.message)\n\(usage)", to: .error)
            return 2
        }
        guard let port = UInt16(options.values["port"]?.last ?? environmentVariable("PORT") ?? "3000") else {
            writeLine("gatehouse serve: --port takes a number\n\(usage)", to: .error)
            return 2
        }
        let data = environmentVariable("GATEHOUSE_DATA") ?? ".gatehouse"
        mkdir(data, 0o700)
        let issuer = "http://127.0.0.1:\(port)/idp/"
        let identities = environmentVariable("GATEHOUSE_IDENTITIES") ?? "dev/identities.json"
        do {
            let idp = try IdentityProvider(issuer: issuer, identitiesPath: identities, dataFolder: data)
            let template = try LocalTemplate(path: options.values["template"]?.last ?? "template.json", parameters: [
                "JwtIssuer": issuer, "SecretKey": environmentVariable("SECRET_KEY") ?? developmentSecret,
            ])
            let functions = FunctionInstances(executables: InvokeCommand.executableDirectory(), baseEnvironment: [
                "GATEHOUSE_STORAGE": environmentVariable("GATEHOUSE_STORAGE") ?? "sqlite:\(absolute(data))/gatehouse.sqlite",
                "GATEHOUSE_IDENTITIES": absolute(identities),
            ])
            let gateway = Gateway(template: template, functions: functions, identityProvider: idp, jwks: idp.publicKeys)
            let application = Application(router: gateway.router())
            let server = try HTTPServer(host: "127.0.0.1", port: port) { request in
                if let answer = idp.respond(to: request) { return answer }
                let response = await application.respond(to: request)
                // API Gateway has no 405: a method without a route is simply no route.
                return response.status == .methodNotAllowed ? .message(.notFound, "Not Found") : response
            }
            let stop: @Sendable () -> Void = {
                server.shutdown()
                Task { await functions.stopAll() }
            }
            stopOnSignal(stop)
            if let parent = environmentVariable("GATEHOUSE_PARENT_PID").flatMap({ Int32($0) }) { stopWithParent(parent, stop) }
            writeLine("listening on http://127.0.0.1:\(server.port)", to: .standard)
            while true { try await Task.sleep(for: .seconds(3600)) }
        } catch {
            writeLine("gatehouse serve: \(error)", to: .error)
            return 1
        }
    }

    private static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        var buffer = [CChar](repeating: 0, count: 4096)
        return (getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? ".") + "/" + path
    }

    /// Runs `stop` and exits once process `parent` is gone (tests start the stack this way, so it never outlives them).
    private static func stopWithParent(_ parent: Int32, _ stop: @escaping @Sendable () -> Void) {
        startThread {
            while kill(parent, 0) == 0 { usleep(200_000) }
            stop()
            usleep(200_000)
            exit(0)
        }
    }

    /// Runs `stop` on SIGINT or SIGTERM, then exits 0 (the signals are taken by one waiting thread).
    private static func stopOnSignal(_ stop: @escaping @Sendable () -> Void) {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        let waiting = signals
        startThread {
            var set = waiting
            var received: Int32 = 0
            sigwait(&set, &received)
            stop()
            usleep(100_000)
            writeLine("stopped", to: .standard)
            exit(0)
        }
    }
}
