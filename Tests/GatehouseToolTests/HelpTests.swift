import Testing

/// `--help` anywhere prints usage on stdout and exits 0: the whole tool's, or the named command's.
@Suite struct HelpTests {
    static func gatehouse(_ arguments: String...) -> (status: Int32, out: String, err: String) {
        JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse] + arguments)
    }

    @Test(arguments: [["--help"], ["-h"]])
    func theToolsUsage(arguments: [String]) {
        let result = JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse] + arguments)
        #expect(result.status == 0 && result.err.isEmpty)
        for command in ["jwt verify", "invoke", "serve", "token", "routes"] {
            #expect(result.out.contains("gatehouse \(command) "))
        }
    }

    @Test(arguments: [
        (["serve", "--help"], "usage: gatehouse serve [--port N] [--template template.json]\n"),
        (["jwt", "verify", "-h"], "usage: gatehouse jwt verify --jwks FILE --issuer ISS --audience AUD [--scope S]... "
            + "[--leeway SECONDS] TOKEN|-\n"),
        (["invoke", "wish-list", "--help"], "usage: gatehouse invoke APP --event FILE [--timeout SECONDS]\n"),
        (["token", "--help"], "usage: gatehouse token --client ID --secret S [--audience A] [--port N]\n"),
        (["routes", "--help"], "usage: gatehouse routes [--template template.json]\n"),
    ])
    func aCommandsUsage(arguments: [String], expected: String) {
        let result = JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse] + arguments)
        #expect(result.status == 0 && result.out == expected && result.err.isEmpty)
    }

    @Test func badUsageStillExits2() {
        let unknown = Self.gatehouse("serve", "--bogus")
        #expect(unknown.status == 2 && unknown.err.contains("usage: gatehouse serve"))
        #expect(Self.gatehouse().status == 2)
        #expect(Self.gatehouse("nonsense").status == 2)
    }
}
