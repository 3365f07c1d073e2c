import FoundationEssentials
import Glibc
import Testing
@testable import LocalStack
import Runtime

/// The in-process Runtime API server driven by AWS's own runtime interface client, `awslambdaric` (PyPI).
@Suite struct AWSLambdaRICTests {
    static let python = PythonPeer.find(module: "awslambdaric")

    static let handlerSource = """
        def handler(event, context):
            if "fail" in event:
                raise ValueError(event["fail"])
            return {"echo": event.get("echo"), "requestId": context.aws_request_id,
                    "arn": context.invoked_function_arn, "remaining": context.get_remaining_time_in_millis()}
        """

    @Test(.enabled(if: python != nil, PythonPeer.skipReason(module: "awslambdaric")))
    func awsClientServesResponsesAndErrors() async throws {
        let python = try #require(Self.python)
        var template = Array("/tmp/gatehouse-ric-XXXXXX".utf8CString)
        let directory = String(cString: try #require(mkdtemp(&template)))
        let file = fopen(directory + "/app.py", "w")
        fputs(Self.handlerSource, file)
        fclose(file)

        let server = try RuntimeAPIServer()
        let process = try FunctionProcess(
            executable: python, arguments: ["-m", "awslambdaric", "app.handler"],
            environment: ["AWS_LAMBDA_RUNTIME_API": server.endpoint, "PYTHONPATH": directory,
                          "LAMBDA_TASK_ROOT": directory, "AWS_LAMBDA_FUNCTION_NAME": "ric"],
            onOutputLine: { _ in })
        server.admit(processID: process.pid)
        defer { process.kill() }
        try await server.waitUntilPolling()

        let outcome = try await server.invoke(InvocationRequest(
            event: Array(#"{"echo":"from swift"}"#.utf8), requestID: "ric-1", timeoutMilliseconds: 10_000,
            invokedFunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:ric"))
        guard case .response(let body) = outcome else { Issue.record("expected a response, got \(outcome)"); return }
        struct Answer: Decodable { var echo: String; var requestId: String; var arn: String; var remaining: Int }
        let answer = try JSONDecoder().decode(Answer.self, from: Data(body))
        #expect(answer.echo == "from swift")
        #expect(answer.requestId == "ric-1")
        #expect(answer.arn == "arn:aws:lambda:us-east-1:123456789012:function:ric")
        #expect(answer.remaining > 5000 && answer.remaining <= 10_000)

        let failed = try await server.invoke(InvocationRequest(event: Array(#"{"fail":"bad input"}"#.utf8)))
        #expect(failed == .error(FunctionError(type: "ValueError", message: "bad input")))

        let big = String(repeating: "x", count: 200_000)
        guard case .response(let bigBody) = try await server.invoke(InvocationRequest(event: Array("{\"echo\":\"\(big)\"}".utf8)))
        else { Issue.record("expected a response"); return }
        #expect(bigBody.count > 200_000)
        _ = unlink(directory + "/app.py")
        _ = rmdir(directory)
    }
}

/// Finds a Python interpreter that can import a test peer: `$GATEHOUSE_PYTHON`, else the nearest `.venv`
/// above the working directory, else `python3` on the PATH.
enum PythonPeer {
    static func find(module: String) -> String? {
        candidates().first { canImport(module, with: $0) }
    }

    static func skipReason(module: String) -> Comment {
        Comment(rawValue: "skipped: no Python with `\(module)` found (run `make test`, which installs it into .venv/)")
    }

    private static func candidates() -> [String] {
        var found: [String] = []
        if let explicit = environmentVariable("GATEHOUSE_PYTHON") { found.append(explicit) }
        var buffer = [CChar](repeating: 0, count: 4096)
        var directory = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? "/"
        while !directory.isEmpty {
            found.append(directory + "/.venv/bin/python")
            guard let slash = directory.lastIndex(of: "/") else { break }
            directory = String(directory[..<slash])
        }
        found.append("/usr/bin/python3")
        found.append("/usr/local/bin/python3")
        return found.filter { access($0, X_OK) == 0 }
    }

    private static func canImport(_ module: String, with python: String) -> Bool {
        var pid = pid_t()
        let words: [String] = [python, "-c", "import \(module)"]
        let argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        guard posix_spawn(&pid, python, &actions, nil, argv, environ) == 0 else { return false }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return status == 0
    }
}
