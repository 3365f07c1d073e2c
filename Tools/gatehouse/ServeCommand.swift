import Glibc
import HTTP
import Transport
import Runtime

/// `gatehouse serve [--port N] [--template FILE]`: the local stack: API Gateway, the functions as real executables
/// and the dev identity provider on 127.0.0.1, data under `GATEHOUSE_DATA` (default `.gatehouse`).
enum ServeCommand {
    static func run(_ arguments: [String]) async -> Int32 {
        let options: CommandLineOptions
        do {
            options = try CommandLineOptions(arguments, known: ["port", "template"])
        } catch {
            writeLine("gatehouse serve: \(error.message)\n\(usage(of: "serve"))", to: .error)
            return 2
        }
        guard let port = UInt16(options.values["port"]?.last ?? environmentVariable("PORT") ?? "3000") else {
            writeLine("gatehouse serve: --port takes a number\n\(usage(of: "serve"))", to: .error)
            return 2
        }
        let data = environmentVariable("GATEHOUSE_DATA") ?? ".gatehouse"
        mkdir(data, 0o700)
        let issuer = "http://127.0.0.1:\(port)/idp/"
        let identities = environmentVariable("GATEHOUSE_IDENTITIES") ?? "dev/identities.json"
        do {
            let idp = try IdentityProvider(issuer: issuer, identitiesPath: identities, dataFolder: data)
            let template = try LocalTemplate(path: options.values["template"]?.last ?? "template.json", parameters: [
                "JwtIssuer": issuer, "JwtAudience": idp.identities.audience, "SecretKey": try LocalSecret.secretKey(in: data),
            ])
            let functions = FunctionInstances(executables: InvokeCommand.executableDirectory(), baseEnvironment: [
                "GATEHOUSE_STORAGE": environmentVariable("GATEHOUSE_STORAGE") ?? "sqlite:\(absolute(data))/gatehouse.sqlite",
                "GATEHOUSE_IDENTITIES": absolute(identities),
            ])
            let gateway = Gateway(template: template, functions: functions, identityProvider: idp, jwks: idp.publicKeys)
            let application = Application(router: gateway.router())
            let server = try HTTPServer(host: "127.0.0.1", port: port) { request in
                if let answer = idp.respond(to: request) { return answer }
                if request.method == "GET", let page = ConsolePage.response(request.path) { return page }
                let response = await application.respond(to: request)
                // API Gateway has no 405: a method without a route is simply no route.
                return response.status == .methodNotAllowed ? .message(.notFound, "Not Found") : response
            }
            let stop: @Sendable () -> Void = {
                server.shutdown()
                let done = ConditionLock(), finished = Box()
                Task {
                    await functions.stopAll()
                    done.withLock { finished.value = true; done.broadcast() }
                }
                done.withLock { done.wait(untilMilliseconds: wallClock() + 2000) }
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
            exit(0)
        }
    }

    /// Runs `stop` on SIGINT or SIGTERM, then exits 0. The handler only writes to a pipe that a thread watches (the
    /// self-pipe trick), so it works whatever thread the signal lands on, and even when the stack was started with
    /// those signals ignored (a background job of a non-interactive shell).
    private static func stopOnSignal(_ stop: @escaping @Sendable () -> Void) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        signalPipe = fds[1]
        for signal in [SIGINT, SIGTERM] {
            Glibc.signal(signal) { _ in
                var byte: UInt8 = 1
                _ = write(signalPipe, &byte, 1)
            }
        }
        let readEnd = fds[0]
        startThread {
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) < 0 && errno == EINTR {}
            stop()
            writeLine("stopped", to: .standard)
            exit(0)
        }
    }
}

/// A flag shared with a task.
private final class Box: @unchecked Sendable {
    var value = false
}

private func wallClock() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
}

/// The write end of the signal pipe (only written by the signal handler).
nonisolated(unsafe) private var signalPipe: Int32 = -1
