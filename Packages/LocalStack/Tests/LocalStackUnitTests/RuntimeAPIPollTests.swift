import Glibc
import Testing
import Transport
@testable import LocalStack

/// A `/next` poll with no invocation waiting is held and answered by the invocation's own thread; an invocation
/// meant for a poll whose connection ended meanwhile is not lost.
@Suite struct RuntimeAPIPollTests {
    @Test func anInvocationForAPollWhoseConnectionEndedGoesToTheNextPoll() async throws {
        let server = try RuntimeAPIServer()
        defer { server.shutdown() }
        server.admit(processID: getpid())
        let port = UInt16(server.endpoint.split(separator: ":").last!)!
        let next = WireRequest(method: "GET", target: "/2018-06-01/runtime/invocation/next")
        let first = WireConnection(socket: try Socket.connect(host: "127.0.0.1", port: port, timeoutSeconds: 10))
        try first.write(next)
        try await server.waitUntilPolling()
        // Bytes that are no request end the first connection; its held poll is given up before the 400 goes out.
        let refused = try await onThread {
            try first.send(Array("NOT HTTP\r\n\r\n".utf8))
            return try first.readResponse().status
        }
        #expect(refused == 400)

        let second = WireConnection(socket: try Socket.connect(host: "127.0.0.1", port: port, timeoutSeconds: 10))
        let answered = Task {
            try await onThread { () -> String? in
                try second.write(next)
                let id = try second.readResponse().headers["lambda-runtime-aws-request-id"] ?? ""
                try second.write(WireRequest(method: "POST", target: "/2018-06-01/runtime/invocation/\(id)/response",
                                             body: Array("done".utf8)))
                return try second.readResponse().status == 202 ? id : nil
            }
        }
        let outcome = try await server.invoke(InvocationRequest(event: bytes("{}"), requestID: "r-1", timeoutMilliseconds: 5000))
        #expect(outcome == .response(bytes("done")))
        #expect(try await answered.value == "r-1")
    }
}

/// Runs blocking socket work on its own OS thread, never on the tests' cooperative pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        startThread { continuation.resume(with: Result { try body() }) }
    }
}
