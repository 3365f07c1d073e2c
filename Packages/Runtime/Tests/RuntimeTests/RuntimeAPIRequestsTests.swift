import Testing
import Transport
@testable import Runtime

/// The Runtime API requests as the loop writes them, read back by the HTTP/1.1 parser over a loopback connection.
@Suite struct RuntimeAPIRequestsTests {
    let requests = RuntimeAPIRequests(authority: "127.0.0.1:9001")

    /// Sends `bytes` and reads `count` requests on the other side.
    func read(_ bytes: [UInt8], count: Int) throws -> [WireRequest] {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        let client = try Socket.connect(host: "127.0.0.1", port: listener.localPort)
        let server = WireConnection(socket: try listener.accept())
        try client.write(bytes)
        client.shutdown()
        return try (0..<count).map { _ in try #require(try server.readRequest()) }
    }

    @Test func aResultAndTheNextPollLeaveTogether() throws {
        let body = Array(#"{"echo":"hi"}"#.utf8)
        let read = try read(requests.result(requestID: "req-1", .response(body), then: requests.next), count: 2)
        #expect(read[0].method == "POST" && read[0].target == "/2018-06-01/runtime/invocation/req-1/response")
        #expect(read[0].headers["host"] == "127.0.0.1:9001")
        #expect(read[0].headers["content-length"] == String(body.count))
        #expect(read[0].body == body)
        #expect(read[0].headers["lambda-runtime-function-error-type"] == nil)
        #expect(read[1].method == "GET" && read[1].target == "/2018-06-01/runtime/invocation/next")
        #expect(read[1].body.isEmpty)
    }

    /// A handler chooses its error type: a control byte in it must not split the request (nor stop the loop).
    @Test func anErrorTypeCannotForgeAField() throws {
        let report = ErrorReport(errorType: "Bad\r\nX-Injected: 1", errorMessage: "no")
        let read = try read(requests.result(requestID: "req-2", .error(report), then: []), count: 1)
        #expect(read[0].target == "/2018-06-01/runtime/invocation/req-2/error")
        #expect(read[0].headers["lambda-runtime-function-error-type"] == "Bad__X-Injected: 1")
        #expect(read[0].headers["x-injected"] == nil)
        #expect(read[0].body == report.json)
    }

    @Test func anInitFailureGoesToItsOwnPath() throws {
        let report = ErrorReport(errorType: "InitFailure", errorMessage: "no table")
        let read = try read(requests.initError(report), count: 1)
        #expect(read[0].target == "/2018-06-01/runtime/init/error")
        #expect(read[0].headers["lambda-runtime-function-error-type"] == "InitFailure")
        #expect(read[0].body == report.json)
        #expect(RuntimeAPIRequests.resultPath(requestID: "r", .error(report)) == "/2018-06-01/runtime/invocation/r/error")
    }
}
