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

extension RuntimeAPIAdmissionTests {
    /// The kernel's exact lookup (sock_diag) finds the same socket as the walk over /proc/net/tcp, and it is the one
    /// this process holds.
    @Test func bothPeerLookupsAgree() throws {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        let client = try Socket.connect(host: "127.0.0.1", port: listener.localPort)
        let accepted = try listener.accept()
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(client.fd, $0, &length) }
        }
        let port = UInt16(bigEndian: address.sin_port)
        let fromKernel = LoopbackPeer.diagnosedInode(localPort: port, remotePort: listener.localPort)
        let fromProc = LoopbackPeer.socketInode(localPort: port, remotePort: listener.localPort)
        #expect(fromKernel != nil && fromKernel == fromProc)
        #expect(LoopbackPeer.isOwned(by: getpid(), accepted))
        #expect(!LoopbackPeer.isOwned(by: 1, accepted))
    }
}
