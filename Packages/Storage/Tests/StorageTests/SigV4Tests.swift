@testable import AWS
import TransportClient
import Transport
import Testing
import StorageTesting
@testable import Storage

/// SigV4 against AWS's published examples (their data only).
@Suite struct SigV4Tests {
    @Test func sigV4TestSuiteGetVanilla() {
        // aws-sig-v4-test-suite/get-vanilla: GET / on example.amazonaws.com, 2015-08-30 12:36:00 UTC.
        let signer = SigV4(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE",
                                                       secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                           region: "us-east-1", service: "service")
        let headers = signer.sign(method: "GET", path: "/", headers: ["Host": "example.amazonaws.com"], body: [],
                                  amzDate: "20150830T123600Z")
        #expect(headers["authorization"] == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func s3GetObjectExampleFromTheDeveloperGuide() {
        // "Example: GET Object" of the S3 SigV4 guide: examplebucket, bytes 0-9 of test.txt, 2013-05-24.
        let signer = SigV4(credentials: AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                                       secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                           region: "us-east-1", service: "s3")
        let headers = signer.sign(method: "GET", path: "/test.txt", headers: [
            "Host": "examplebucket.s3.amazonaws.com", "Range": "bytes=0-9",
            "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ], body: [], amzDate: "20130524T000000Z")
        #expect(headers["authorization"]?.hasSuffix("Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41") == true)
        #expect(headers["authorization"]?.contains("SignedHeaders=host;range;x-amz-content-sha256;x-amz-date") == true)
    }

    @Test func sessionTokenIsSignedAndSent() {
        let signer = SigV4(credentials: AWSCredentials(accessKeyID: "AK", secretAccessKey: "s", sessionToken: "tok"),
                           region: "eu-west-1", service: "dynamodb")
        let headers = signer.sign(method: "POST", path: "/", headers: ["host": "h"], body: Array("{}".utf8),
                                  amzDate: "20240101T000000Z")
        #expect(headers["x-amz-security-token"] == "tok")
        #expect(headers["authorization"]?.contains("SignedHeaders=host;x-amz-date;x-amz-security-token") == true)
    }
}

/// Against moto with signing enforced: a wrong secret is refused with a clear, non-secret error.
@Suite struct DynamoDBAuthTests {
    @Test func wrongSignatureIsRefused() async throws {
        let moto = try #require(MotoServer.shared, MotoServer.skipReason)
        let table = DynamoDBTable(name: "auth-check", schema: KeySchema(partitionKey: "id"),
                                  configuration: moto.configuration(secret: "not-the-secret"), http: try HTTPClient())
        await #expect {
            try await table.get(ItemKey(partition: .string("x")))
        } throws: { error in
            guard let error = error as? StorageError else { return false }
            return error.code == .accessDenied && !error.reason.contains("not-the-secret")
        }
    }

    @Test func errorResponsesMapToCodes() {
        func response(_ status: Int, _ body: String) -> HTTPClient.Response {
            HTTPClient.Response(status: status, headers: [], body: Array(body.utf8))
        }
        let conditional = DynamoDBClient.failure(response(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"#))
        #expect(conditional.error.code == .conditionalCheckFailed && !conditional.retryable)
        let realAuth = DynamoDBClient.failure(response(400, #"{"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"The security token included in the request is invalid."}"#))
        #expect(realAuth.error.code == .accessDenied)
        let motoAuth = DynamoDBClient.failure(response(403, "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>"))
        #expect(motoAuth.error.code == .accessDenied)
        let throttled = DynamoDBClient.failure(response(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException"}"#))
        #expect(throttled.retryable && throttled.error.code == .unavailable)
        #expect(DynamoDBClient.failure(response(503, "")).retryable)
        let cancelled = DynamoDBClient.failure(response(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed"}]}"#))
        #expect(cancelled.error.code == .conditionalCheckFailed)
    }
}
