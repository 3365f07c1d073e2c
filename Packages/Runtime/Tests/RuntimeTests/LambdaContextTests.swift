import Testing
import Transport
@testable import Runtime

@Suite struct LambdaContextTests {
    let function = FunctionEnvironment(name: "f", version: "3", memoryMB: 512, logGroup: "g", logStream: "s")

    @Test func headersBecomeTheContext() throws {
        let headers = WireHeaders([
            ("Lambda-Runtime-Aws-Request-Id", "8476a536-e9f4-11e8-9739-2dfe598c3fcd"),
            ("Lambda-Runtime-Deadline-Ms", "1542409706888"),
            ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime"),
            ("lambda-runtime-trace-id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"),
            ("Lambda-Runtime-Client-Context", #"{"client":{}}"#),
            ("Lambda-Runtime-Cognito-Identity", #"{"cognitoIdentityId":"id"}"#),
        ])
        let context = try #require(LambdaContext(headers: headers, function: function, logger: Logger(sink: { _ in })))
        #expect(context.requestID == "8476a536-e9f4-11e8-9739-2dfe598c3fcd")
        #expect(context.deadlineMilliseconds == 1_542_409_706_888)
        #expect(context.invokedFunctionARN == "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime")
        #expect(context.traceID == "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1")
        #expect(context.clientContext == #"{"client":{}}"#)
        #expect(context.cognitoIdentity == #"{"cognitoIdentityId":"id"}"#)
        #expect(context.function.memoryMB == 512)
        #expect(context.logger.requestID == "8476a536-e9f4-11e8-9739-2dfe598c3fcd")
    }

    @Test func deadlineMath() throws {
        let headers = WireHeaders([("Lambda-Runtime-Aws-Request-Id", "r"), ("Lambda-Runtime-Deadline-Ms", "10000")])
        let context = try #require(LambdaContext(headers: headers, function: function, logger: Logger(sink: { _ in })))
        #expect(context.remainingMilliseconds(now: 7_500) == 2_500)
        #expect(context.remainingMilliseconds(now: 10_250) == -250)
        let live = WireHeaders([("Lambda-Runtime-Aws-Request-Id", "r"),
                                ("Lambda-Runtime-Deadline-Ms", String(wallClockMilliseconds() + 3000))])
        let remaining = try #require(LambdaContext(headers: live, function: function, logger: Logger())).remainingMilliseconds
        #expect(remaining > 2900 && remaining <= 3000)
    }

    @Test func noRequestIDNoContext() {
        #expect(LambdaContext(headers: WireHeaders([("Lambda-Runtime-Deadline-Ms", "1")]), function: function,
                              logger: Logger()) == nil)
    }

    /// The result is posted to a path under the request id: one a path would read differently is no request id.
    @Test(arguments: ["a/b", "a b", "a?b", "a#b", "a%2Fb", "a\u{7F}", "é"])
    func requestIDThatIsNoPathSegmentIsRefused(id: String) {
        #expect(LambdaContext(headers: WireHeaders([("Lambda-Runtime-Aws-Request-Id", id)]), function: function,
                              logger: Logger()) == nil)
        #expect(LambdaContext(headers: WireHeaders([("Lambda-Runtime-Aws-Request-Id", "a-b_c.d~e:1")]),
                              function: function, logger: Logger()) != nil)
    }

    @Test func requestIDsAreUUIDShapedAndDistinct() {
        let ids = (0..<100).map { _ in newRequestID() }
        #expect(Set(ids).count == 100)
        for id in ids {
            let groups = id.split(separator: "-").map(\.count)
            #expect(groups == [8, 4, 4, 4, 12])
            #expect(id[id.index(id.startIndex, offsetBy: 14)] == "4")
        }
    }
}
