import Glibc
import HTTP
import Testing

/// A function that crashes or hangs costs only its own request; concurrent requests get more instances.
@Suite(.serialized) struct FaultTests {
    static let stack: SeedFlowTests.Stack = {
        let stack = try! SeedFlowTests.Stack(template: "Tests/LocalStackTests/Templates/faults.json")
        stack.ready.wait()
        return stack
    }()

    func get(_ path: String) async throws -> (Int, String) {
        try await SeedFlowTests.call(Self.stack, "GET", path)
    }

    @Test func crashesAndHangsCostOnlyTheirOwnRequest() async throws {
        #expect(try await get("/echo/ok").0 == 200)
        #expect(try await get("/echo/crash") == (502, #"{"message":"Internal Server Error"}"#))
        #expect(try await get("/echo/ok").0 == 200)  // a fresh instance replaced the crashed one
        async let hung = get("/echo/hang")
        try await Task.sleep(for: .milliseconds(100))
        let start = monotonicSeconds()
        #expect(try await get("/echo/ok").0 == 200)  // served by another instance meanwhile
        #expect(monotonicSeconds() - start < 0.9)
        #expect(try await hung == (502, #"{"message":"Internal Server Error"}"#))  // after the 1 s timeout
        #expect(try await get("/echo/ok").0 == 200)
    }

    @Test func concurrentRequestsAllSucceed() async throws {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<64 { group.addTask { try await get("/echo/ok").0 } }
            var statuses: [Int] = []
            for try await status in group { statuses.append(status) }
            #expect(statuses == [Int](repeating: 200, count: 64))
        }
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
