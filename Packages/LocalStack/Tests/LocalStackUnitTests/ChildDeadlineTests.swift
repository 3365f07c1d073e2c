import GatehouseTesting
import Testing
import LocalStack

/// A child a test starts that hangs is killed at its deadline, and the test fails with one line saying what hung
/// (a headless browser once held `make test` for over ten minutes).
@Suite struct ChildDeadlineTests {
    @Test func aChildPastItsDeadlineIsKilledAndNamed() async throws {
        await #expect {
            _ = try await FunctionProcess.run("/bin/sleep", arguments: ["60"], deadline: 1)
        } throws: { error in
            "\(error)" == "/bin/sleep had not finished after 1 s and was killed (it hung)"
        }
        // A child that ends in time is untouched.
        #expect(try await FunctionProcess.run("/bin/echo", arguments: ["done"], deadline: 60) == (0, ["done"]))
    }

    @Test(.enabled(if: PythonPeer.find(module: "sys") != nil, "skipped: no python3"))
    func aPythonPeerPastItsDeadlineIsKilledAndNamed() throws {
        let python = try #require(PythonPeer.find(module: "sys"))
        let failure = #expect(throws: PythonPeer.Failure.self) {
            try PythonPeer.output(python, script: "import time\ntime.sleep(60)", deadline: 1)
        }
        #expect(failure?.description == "python script (import time) had not finished after 1 s and was killed (it hung)")
        #expect(try PythonPeer.output(python, script: "print('ok')") == "ok\n")
    }
}
