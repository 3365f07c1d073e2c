import Glibc
import LocalStack
import Runtime
import Transport

/// `gatehouse serve [--port N] [--template FILE] [--watch] [--allow-host NAME]...`: the local stack: API Gateway, the
/// functions as real executables and the dev identity provider on 127.0.0.1, data under `GATEHOUSE_DATA` (default
/// `.gatehouse`). `--watch` rebuilds and swaps in what changes under `Apps/`, `Packages/`, the template and the
/// identities. `--allow-host` (or `GATEHOUSE_ALLOWED_HOSTS`, comma-separated) adds a name the stack answers as.
enum ServeCommand {
    static func run(_ arguments: [String]) async -> Int32 {
        let options: CommandLineOptions
        do {
            options = try CommandLineOptions(arguments, known: ["port", "template", "allow-host"], flags: ["watch"])
        } catch {
            writeLine("gatehouse serve: \(error.message)\n\(usage(of: "serve"))", to: .error)
            return 2
        }
        guard let port = UInt16(options.values["port"]?.last ?? environmentVariable("PORT") ?? "3000") else {
            writeLine("gatehouse serve: --port takes a number\n\(usage(of: "serve"))", to: .error)
            return 2
        }
        var configuration = LocalStackServer.Configuration(port: port, executables: InvokeCommand.executableDirectory())
        configuration.templatePath = options.values["template"]?.last ?? "template.json"
        configuration.identitiesPath = environmentVariable("GATEHOUSE_IDENTITIES") ?? "dev/identities.json"
        configuration.dataFolder = environmentVariable("GATEHOUSE_DATA") ?? ".gatehouse"
        configuration.storage = environmentVariable("GATEHOUSE_STORAGE")
        configuration.secretKey = environmentVariable("SECRET_KEY")
        configuration.allowedHosts = (options.values["allow-host"] ?? [])
            + (environmentVariable("GATEHOUSE_ALLOWED_HOSTS")?.split(separator: ",").map(String.init) ?? [])
        let stack: LocalStackServer
        do {
            stack = try LocalStackServer(configuration)
        } catch let refusal as TemplateRefusal {
            // A template feature the stack cannot emulate: never serve a route that differs from AWS.
            writeLine("gatehouse serve: \(refusal)", to: .error)
            return 2
        } catch {
            writeLine("gatehouse serve: \(error)", to: .error)
            return 1
        }
        let stop: @Sendable () -> Void = {
            let done = ConditionLock(), finished = Box()
            Task {
                await stack.stop()
                done.withLock { finished.value = true; done.broadcast() }
            }
            // Waits for the stop, at most 2 s; the predicate keeps a stop that finished before the wait began from
            // being waited for the whole time (a lost wake-up).
            done.withLock {
                let deadline = wallClockMilliseconds() + 2000
                while !finished.value, wallClockMilliseconds() < deadline { done.wait(untilMilliseconds: deadline) }
            }
        }
        if options.setFlags.contains("watch") {
            let reloader = StackReloader(stack: stack, root: ".", executables: configuration.executables,
                                         templatePath: configuration.templatePath, identitiesPath: configuration.identitiesPath,
                                         dataFolder: configuration.dataFolder) { writeLine($0, to: .standard) }
            do {
                try reloader.start()
            } catch {
                writeLine("gatehouse serve: cannot watch: \(error)", to: .error)
                return 1
            }
        }
        stopOnSignal(stop)
        if let parent = environmentVariable("GATEHOUSE_PARENT_PID").flatMap({ Int32($0) }) { stopWithParent(parent, stop) }
        writeLine("listening on http://127.0.0.1:\(stack.port)", to: .standard)
        while true { try? await Task.sleep(for: .seconds(3600)) }
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

/// The write end of the signal pipe (only written by the signal handler).
nonisolated(unsafe) private var signalPipe: Int32 = -1
