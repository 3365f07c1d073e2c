import Glibc
import Testing
@testable import LocalStack

/// A function process inherits nothing this process opened without close-on-exec: a pipe's write end held by a
/// long-lived child kept another reader from ever seeing the end of its output (a test suite hung on it).
@Suite struct FunctionProcessDescriptorTests {
    @Test func aPipeOpenedElsewhereIsNotInheritedByAChild() async throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)  // no close-on-exec, as Foundation's `Pipe` makes them
        let child = try FunctionProcess(executable: "/bin/sleep", arguments: ["30"], environment: [:], onOutputLine: { _ in })
        defer { child.kill() }
        close(ends[1])
        _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
        var byte: UInt8 = 0
        // End of file at once: no writer is left (a leaked copy in the child would answer EAGAIN instead).
        #expect(read(ends[0], &byte, 1) == 0)
        close(ends[0])
        #expect(!child.hasExited)
    }
}
