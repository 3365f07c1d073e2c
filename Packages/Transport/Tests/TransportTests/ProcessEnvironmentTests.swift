import Testing
import Transport

/// The process environment read and written through one lock: what `set` writes is what `value` reads, nil unsets,
/// and readers on other tasks never see a torn table while a writer changes it.
@Suite struct ProcessEnvironmentTests {
    @Test func setWritesWhatValueReads() {
        let name = "GATEHOUSE_TEST_\(UInt32.random(in: 0...UInt32.max))"
        #expect(ProcessEnvironment.value(name) == nil)
        ProcessEnvironment.set(name, to: "one")
        #expect(ProcessEnvironment.value(name) == "one")
        ProcessEnvironment.set(name, to: "")
        #expect(ProcessEnvironment.value(name) == "" && ProcessEnvironment.nonEmptyValue(name) == nil)
        ProcessEnvironment.set(name, to: nil)
        #expect(ProcessEnvironment.value(name) == nil)
    }

    @Test func readersAndAWriterAtOnce() async {
        let name = "GATEHOUSE_TEST_TRACE_\(UInt32.random(in: 0...UInt32.max))"
        let seen = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for index in 0..<5_000 { ProcessEnvironment.set(name, to: "Root=1-\(index);Sampled=1") }
                return true
            }
            for _ in 0..<3 {
                group.addTask {
                    (0..<5_000).allSatisfy { _ in ProcessEnvironment.value(name).map { $0.hasPrefix("Root=1-") } ?? true }
                }
            }
            return await group.reduce(true) { $0 && $1 }
        }
        #expect(seen)
        ProcessEnvironment.set(name, to: nil)
    }
}
