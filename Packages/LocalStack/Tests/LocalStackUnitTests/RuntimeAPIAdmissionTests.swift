import Glibc
import Transport
import Testing
@testable import LocalStack
import Runtime

/// A Runtime API server serves only the function process it was told about: another local process can neither read
/// the events (Authorization headers included) nor answer them.
@Suite struct RuntimeAPIAdmissionTests {
    @Test func anotherProcessCannotPollOrAnswer() async throws {
        let server = try RuntimeAPIServer()
        defer { server.shutdown() }
        let process = try startEcho(server)
        defer { process.kill() }
        try await server.waitUntilPolling()
        let port = UInt16(server.endpoint.split(separator: ":").last!)!
        let intruder = WireConnection(socket: try Socket.connect(host: "127.0.0.1", port: port))
        try intruder.write(WireRequest(method: "GET", target: "/2018-06-01/runtime/invocation/next"))
        let refused = try intruder.readResponse()
        #expect(refused.status == 403 && text(refused.body).contains("AccessDenied"))
        // The admitted function still gets the invocation and answers it.
        let outcome = try await server.invoke(InvocationRequest(event: bytes(#"{"echo":"mine"}"#), requestID: "r-1"))
        guard case .response(let body) = outcome else { Issue.record("expected a response, got \(outcome)"); return }
        #expect(text(body).contains("mine"))
    }

    @Test func connectionsBeforeAdmissionWaitForIt() async throws {
        let server = try RuntimeAPIServer()
        defer { server.shutdown() }
        let port = UInt16(server.endpoint.split(separator: ":").last!)!
        let connection = WireConnection(socket: try Socket.connect(host: "127.0.0.1", port: port))
        try connection.write(WireRequest(method: "GET", target: "/2018-06-01/other"))
        server.admit(processID: getpid())
        #expect(try connection.readResponse().status == 404)
    }
}
