import GatehouseTesting
import Glibc
import FoundationEssentials
import Testing
import Transport
@testable import LocalStack
import Runtime

/// The runtime loop, as a real `runtime-echo` process, against the in-process Runtime API server.
@Suite struct RuntimeLoopTests {
    struct Answer: Decodable {
        var echo: String?
        var requestID: String
        var functionARN: String
        var remainingMilliseconds: Int64
        var traceEnvironment: String?
    }

    @Test func servesSuccessesErrorsAndBadEventsInOneProcess() async throws {
        let server = try RuntimeAPIServer()
        let lines = LineCollector()
        let process = try startEcho(server, lines: lines)
        defer { process.kill() }

        let ok = try await server.invoke(InvocationRequest(
            event: bytes(#"{"echo":"hi \"there\""}"#), requestID: "req-1", timeoutMilliseconds: 5000,
            invokedFunctionARN: "arn:aws:lambda:eu-west-1:123456789012:function:echo:live",
            traceID: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"))
        guard case .response(let body) = ok else { Issue.record("expected a response, got \(ok)"); return }
        let answer = try JSONDecoder().decode(Answer.self, from: Data(body))
        #expect(answer.echo == #"hi "there""#)
        #expect(answer.requestID == "req-1")
        #expect(answer.functionARN == "arn:aws:lambda:eu-west-1:123456789012:function:echo:live")
        #expect(answer.remainingMilliseconds > 3000 && answer.remainingMilliseconds <= 5000)
        #expect(answer.traceEnvironment == "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")

        let thrown = try await server.invoke(InvocationRequest(event: bytes(#"{"fail":"boom"}"#)))
        #expect(thrown == .error(FunctionError(type: "EchoFailure", message: "boom")))

        let undecodable = try await server.invoke(InvocationRequest(event: bytes(#"{"echo":42}"#)))
        guard case .error(let decodeError) = undecodable else { Issue.record("expected an error"); return }
        #expect(decodeError.type == "InvalidEvent")
        #expect(decodeError.message.contains("echo"))

        let notJSON = try await server.invoke(InvocationRequest(event: bytes("not json")))
        guard case .error(let jsonError) = notJSON else { Issue.record("expected an error"); return }
        #expect(jsonError.type == "InvalidEvent")

        // The loop is still serving after three failures.
        let again = try await server.invoke(InvocationRequest(event: bytes(#"{"echo":"still here"}"#)))
        guard case .response(let againBody) = again else { Issue.record("expected a response"); return }
        #expect(try JSONDecoder().decode(Answer.self, from: Data(againBody)).echo == "still here")
        #expect(!process.hasExited)

        // Log lines travel through a pipe and a reader thread: give the last one up to 2 s to arrive.
        var logged = lines.lines.filter { $0.contains(#""message":"echo""#) }
        for _ in 0..<200 where logged.count < 2 {
            try await Task.sleep(for: .milliseconds(10))
            logged = lines.lines.filter { $0.contains(#""message":"echo""#) }
        }
        #expect(logged.count == 2)
        #expect(logged.first?.contains(#""requestId":"req-1""#) == true)
    }

    @Test func traceEnvironmentIsPerInvocation() async throws {
        let server = try RuntimeAPIServer()
        let process = try startEcho(server)
        defer { process.kill() }
        var seen: Set<String> = []
        for _ in 0..<2 {
            guard case .response(let body) = try await server.invoke(InvocationRequest(event: bytes("{}"))) else {
                Issue.record("expected a response"); return
            }
            let trace = try JSONDecoder().decode(Answer.self, from: Data(body)).traceEnvironment
            #expect(trace?.hasPrefix("Root=1-") == true)
            seen.insert(trace ?? "")
        }
        #expect(seen.count == 2)
    }

    @Test func initErrorIsReportedAndTheProcessExitsNonZero() async throws {
        let server = try RuntimeAPIServer()
        let process = try startEcho(server, environment: ["ECHO_INIT_FAIL": "no config"])
        await #expect(throws: RuntimeAPIServer.Failure.initFailed(FunctionError(type: "InitFailure", message: "no config"))) {
            try await server.waitUntilPolling()
        }
        #expect(await process.exitCode() == 1)
        await #expect(throws: RuntimeAPIServer.Failure.self) {
            try await server.invoke(InvocationRequest(event: bytes("{}")))
        }
    }

    @Test func slowInvocationTimesOutAndLateResultIsRefused() async throws {
        let server = try RuntimeAPIServer()
        let process = try startEcho(server)
        defer { process.kill() }
        let outcome = try await server.invoke(InvocationRequest(event: bytes(#"{"sleep":600}"#), timeoutMilliseconds: 100))
        #expect(outcome == .timedOut)
    }

    @Test func missingRuntimeAPIEndsTheProcess() async throws {
        let process = try FunctionProcess(executable: Repository.builtProducts + "/runtime-echo",
                                          environment: ["AWS_LAMBDA_RUNTIME_API": ""], onOutputLine: { _ in })
        #expect(await process.exitCode() == 1)
    }

    @Test func runtimeAPIServerErrorEndsTheProcess() async throws {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        let process = try FunctionProcess(executable: Repository.builtProducts + "/runtime-echo",
                                          environment: ["AWS_LAMBDA_RUNTIME_API": "127.0.0.1:\(listener.localPort)"],
                                          onOutputLine: { _ in })
        let connection = WireConnection(socket: try listener.accept())
        let request = try connection.readRequest()
        #expect(request?.target == "/2018-06-01/runtime/invocation/next")
        try connection.write(WireResponse(status: 500, body: bytes(#"{"errorMessage":"sandbox broken"}"#)))
        #expect(await process.exitCode() == 1)
    }

    /// A Runtime API played by the test itself: `runtime-echo` connects to it, and the test answers each request.
    final class ScriptedRuntimeAPI {
        let listener: Socket
        let lines = LineCollector()
        let process: FunctionProcess

        init() throws {
            listener = try Socket.listen(host: "127.0.0.1", port: 0)
            process = try FunctionProcess(executable: Repository.builtProducts + "/runtime-echo",
                                          environment: ["AWS_LAMBDA_RUNTIME_API": "127.0.0.1:\(listener.localPort)"],
                                          onOutputLine: lines.append)
        }

        func event(_ id: String, _ echo: String) -> WireResponse {
            WireResponse(status: 200, headers: WireHeaders([("Lambda-Runtime-Aws-Request-Id", id),
                                                             ("Lambda-Runtime-Deadline-Ms", "9999999999999")]),
                         body: bytes(#"{"echo":"\#(echo)"}"#))
        }

        /// The function's next connection, once it has asked for an event on it.
        func polling() throws -> (Socket, WireConnection) {
            let socket = try listener.accept()
            socket.setReadTimeout(seconds: 10)
            let connection = WireConnection(socket: socket)
            #expect(try connection.readRequest()?.target == "/2018-06-01/runtime/invocation/next")
            return (socket, connection)
        }

        /// The result of `id` and the next poll, read from `connection`; the result's body.
        func resultAndPoll(_ id: String, on connection: WireConnection) throws -> [UInt8] {
            let posted = try #require(try connection.readRequest())
            let polled = try #require(try connection.readRequest())
            #expect(posted.method == "POST" && posted.target == "/2018-06-01/runtime/invocation/\(id)/response")
            #expect(polled.method == "GET" && polled.target == "/2018-06-01/runtime/invocation/next")
            return posted.body
        }

        /// Waits up to 2 s for a line holding `text` (lines travel through a pipe and a reader thread).
        func logged(_ text: String) async throws -> Bool {
            for _ in 0..<200 where !lines.lines.contains(where: { $0.contains(text) }) {
                try await Task.sleep(for: .milliseconds(10))
            }
            return lines.lines.contains { $0.contains(text) }
        }
    }

    /// The result and the next poll leave in one write (the script reads both before answering either); a refusal
    /// that closes the connection (413) drops the poll behind it, so the runtime polls again on a new connection.
    @Test func resultAndNextPollArePipelinedAndARefusalWithCloseIsSurvived() async throws {
        let api = try ScriptedRuntimeAPI()
        defer { api.process.kill() }
        let (first, connection) = try api.polling()
        try connection.write(api.event("req-1", "one"))
        _ = try api.resultAndPoll("req-1", on: connection)
        try connection.write(WireResponse(status: 413, headers: WireHeaders([("connection", "close")]),
                                          body: bytes(#"{"errorType":"RequestTooLarge"}"#)))
        first.shutdown()

        let (_, again) = try api.polling()
        try again.write(api.event("req-2", "two"))
        let answer = try #require(try again.readRequest())
        #expect(answer.target == "/2018-06-01/runtime/invocation/req-2/response")
        #expect(try JSONDecoder().decode(Answer.self, from: Data(answer.body)).echo == "two")
        #expect(!api.process.hasExited)
        #expect(try await api.logged("refused the result with 413"))
    }

    /// The runtime waits for a result's answer together with the next event (its read wakes once the answer's usual
    /// length is passed): answers of another length — a longer refusal, a shorter acceptance — still come through,
    /// and the loop goes on.
    @Test func answersOfAnotherLengthThanTheUsualStillComeThrough() async throws {
        let api = try ScriptedRuntimeAPI()
        defer { api.process.kill() }
        let (_, connection) = try api.polling()
        let padded = WireResponse(status: 202, headers: WireHeaders([("X-Padding", String(repeating: "p", count: 60))]),
                                  body: bytes(#"{"status":"OK"}"#))
        try connection.write(api.event("req-1", "one"))
        _ = try api.resultAndPoll("req-1", on: connection)
        try connection.write(padded)  // the usual length, from now on
        try connection.write(api.event("req-2", "two"))
        _ = try api.resultAndPoll("req-2", on: connection)
        try connection.write(WireResponse(status: 202, body: bytes(#"{"status":"OK"}"#)))  // shorter
        try connection.write(api.event("req-3", "three"))
        _ = try api.resultAndPoll("req-3", on: connection)
        try connection.write(WireResponse(status: 413, body: bytes(#"{"errorMessage":"\#(String(repeating: "x", count: 300))"}"#)))
        try connection.write(api.event("req-4", "four"))
        let last = try api.resultAndPoll("req-4", on: connection)
        #expect(try JSONDecoder().decode(Answer.self, from: Data(last)).echo == "four")
        #expect(!api.process.hasExited)
        #expect(try await api.logged("refused the result with 413"))
    }

    @Test func resultForUnknownRequestIsRefused() async throws {
        let server = try RuntimeAPIServer()
        server.admit(processID: getpid())  // this test speaks the protocol itself
        let port = UInt16(server.endpoint.split(separator: ":").last!)!
        let connection = WireConnection(socket: try Socket.connect(host: "127.0.0.1", port: port))
        try connection.write(WireRequest(method: "POST", target: "/2018-06-01/runtime/invocation/nope/response",
                                         headers: WireHeaders(), body: bytes("{}")))
        let response = try connection.readResponse()
        #expect(response.status == 400)
        #expect(text(response.body).contains("InvalidRequestID"))
        try connection.write(WireRequest(method: "GET", target: "/2018-06-01/other", headers: WireHeaders(), body: []))
        #expect(try connection.readResponse().status == 404)
    }

    @Test func shutdownFailsWaitingInvocations() async throws {
        let server = try RuntimeAPIServer()
        let waiting = Task { try await server.invoke(InvocationRequest(event: bytes("{}"))) }
        try await Task.sleep(for: .milliseconds(50))
        server.shutdown()
        await #expect(throws: RuntimeAPIServer.Failure.stopped) { try await waiting.value }
    }
}
