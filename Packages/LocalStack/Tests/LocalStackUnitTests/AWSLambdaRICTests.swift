import FoundationEssentials
import Glibc
import Testing
@testable import LocalStack
import Runtime
import GatehouseTesting

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

    @Test(.enabled(if: python != nil, Comment(rawValue: PythonPeer.skipReason(module: "awslambdaric"))))
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
