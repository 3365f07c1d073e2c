import Glibc
import Testing
@testable import LocalStack

/// A function process inherits nothing this process opened without close-on-exec: a pipe's write end held by a
/// long-lived child kept another reader from ever seeing the end of its output (a test suite hung on it).
@Suite struct FunctionProcessDescriptorTests {
    @Test func aPipeOpenedElsewhereIsNotInheritedByAChild() async throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)  // no close-on-exec, as Foundation's `Pipe` makes them
        defer { ends.forEach { close($0) } }
        let child = try FunctionProcess(executable: "/bin/sleep", arguments: ["30"], environment: [:], onOutputLine: { _ in })
        defer { child.kill() }
        // The child's own descriptors, read from /proc: none is this pipe. (Other tests may spawn processes that do
        // inherit it meanwhile, so the pipe's end of file is no test of this child.)
        let pipeName = try #require(Self.link("/proc/self/fd/\(ends[1])"))
        #expect(pipeName.hasPrefix("pipe:"))
        #expect(try Self.descriptorLinks(of: child.pid).count >= 3)
        #expect(!(try Self.descriptorLinks(of: child.pid)).contains(pipeName))
        #expect(!child.hasExited)
    }

    static func descriptorLinks(of pid: Int32) throws -> [String] {
        let directory = try #require(opendir("/proc/\(pid)/fd"))
        defer { closedir(directory) }
        var links: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let link = link("/proc/\(pid)/fd/" + name), !name.hasPrefix(".") { links.append(link) }
        }
        return links
    }

    static func link(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
