import Transport
import LocalStack
import FoundationEssentials
import Glibc
import HTTP
import Runtime
import Testing

/// Stopping the stack with SIGTERM and starting it again on the same data folder keeps the items and the identity
/// provider's key (tokens issued before the restart still verify).
@Suite(.serialized) struct RestartTests {
    @Test func dataAndKeysSurviveARestart() async throws {
        let first = try SeedFlowTests.Stack()
        first.ready.wait()
        let issued = try await SeedFlowTests.call(first, "POST", "/idp/oauth/token", body:
            #"{"grant_type":"client_credentials","client_id":"dev-service","client_secret":"dev-service-secret"}"#)
        struct Issued: Decodable { var access_token: String }
        let token = try JSONDecoder().decode(Issued.self, from: Data(issued.1.utf8)).access_token
        #expect(try await SeedFlowTests.call(first, "POST", "/wish-list", token: token, body: #"{"name":"kept"}"#).0 == 201)
        first.process.kill(SIGTERM)
        #expect(await first.process.exitCode() == 0)  // a clean stop

        let second = try SeedFlowTests.Stack(reusing: first.data, port: first.port)
        second.ready.wait()
        defer { second.process.kill(SIGTERM) }
        #expect(try await SeedFlowTests.call(second, "GET", "/wish-list").1.contains("kept"))
        #expect(try await SeedFlowTests.call(second, "POST", "/wish-list", token: token, body: #"{"name":"again"}"#).0 == 201)
    }
}
