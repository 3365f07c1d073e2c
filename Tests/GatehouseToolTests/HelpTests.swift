import Foundation
import GatehouseTesting
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
        for command in ["jwt verify", "invoke", "serve", "token", "routes", "check", "new", "openapi", "matrix", "users"] {
            #expect(result.out.contains("gatehouse \(command) "))
        }
    }

    @Test(arguments: [
        (["serve", "--help"], "usage: gatehouse serve [--port N] [--template template.json] [--watch] [--allow-host NAME]...\n"),
        (["jwt", "verify", "-h"], "usage: gatehouse jwt verify --jwks FILE --issuer ISS --audience AUD [--scope S]... "
            + "[--leeway SECONDS] TOKEN|-\n"),
        (["invoke", "wish-list", "--help"], "usage: gatehouse invoke APP --event FILE [--timeout SECONDS]\n"),
        (["token", "--help"], "usage: gatehouse token --client ID --secret S [--audience A] [--port N]\n"
            + "       gatehouse token --user EMAIL --password P [--port N]\n"),
        (["routes", "--help"], "usage: gatehouse routes [--template template.json]\n"),
    ])
    func aCommandsUsage(arguments: [String], expected: String) {
        let result = JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse] + arguments)
        // The usage, then a paragraph: what the command does, its defaults, what it writes.
        #expect(result.status == 0 && result.out.hasPrefix(expected + "\n") && result.err.isEmpty)
        #expect(result.out.split(separator: "\n").count > expected.split(separator: "\n").count + 1)
    }

    /// What `--help` says of the commands that edit files and have defaults: the files, the defaults.
    @Test func helpNamesDefaultsAndTheFilesACommandWrites() {
        let new = Self.gatehouse("new", "--help").out
        for file in ["Package.swift", "template.json", "dev/identities.json", "docs/authorization-matrix.md"] {
            #expect(new.contains(file), "gatehouse new --help names \(file)")
        }
        #expect(new.contains("read:NAME") && new.contains("jwt"))
        let serve = Self.gatehouse("serve", "--help").out
        #expect(serve.contains("3000") && serve.contains(".gatehouse/") && serve.contains("template.json"))
    }

    /// A mistyped option is named with the nearest the command takes; an argument a command does not take is refused.
    @Test func mistypedOptionsAndExtraArguments() {
        let option = Self.gatehouse("new", "notes", "--scop", "write:notes")
        #expect(option.status == 2 && option.err.hasPrefix("gatehouse new: unknown option --scop; did you mean --scope?\n"))
        let extra = Self.gatehouse("routes", "extra")
        #expect(extra.status == 2 && extra.err.hasPrefix("gatehouse routes: unexpected argument extra"))
    }

    /// `gatehouse help` is help (exit 0), for the tool or one command; a mistyped command is named with the nearest.
    @Test func helpAndMistypedCommands() {
        #expect(Self.gatehouse("help").status == 0 && Self.gatehouse("help").out.contains("gatehouse serve"))
        let one = Self.gatehouse("help", "serve")
        #expect(one.status == 0 && one.out.hasPrefix("usage: gatehouse serve") && !one.out.contains("gatehouse token"))
        let typo = Self.gatehouse("nwe", "greeting")
        #expect(typo.status == 2 && typo.err.hasPrefix("gatehouse: unknown command nwe; did you mean new?\n"))
        #expect(Self.gatehouse("zzzzzzz").err.hasPrefix("gatehouse: unknown command zzzzzzz\n"))
    }

    @Test func badUsageStillExits2() {
        let unknown = Self.gatehouse("serve", "--bogus")
        #expect(unknown.status == 2 && unknown.err.contains("usage: gatehouse serve"))
        #expect(Self.gatehouse().status == 2)
        #expect(Self.gatehouse("nonsense").status == 2)
    }
}

/// `gatehouse serve` refuses a template feature it cannot emulate: exit 2 and one line naming the route and the
/// authorizer, before it listens.
@Suite struct ServeRefusalTests {
    @Test func aResourcePolicyStopsTheStack() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString).json")
        try Data(#"""
            {"Resources": {
              "Api": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "dev"}},
              "MeFunction": {"Type": "AWS::Serverless::Function", "Properties": {
                "FunctionName": {"Fn::Sub": "${AWS::StackName}-profile"},
                "Events": {"Me": {"Type": "Api", "Properties": {"RestApiId": {"Ref": "Api"}, "Method": "get", "Path": "/me",
                  "Auth": {"Authorizer": "NONE", "ResourcePolicy": {"IpRangeWhitelist": ["10.0.0.0/8"]}}}}}}}}}
            """#.utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString)").path
        let result = JWTVerifyCommandTests.run(
            [JWTVerifyCommandTests.gatehouse, "serve", "--port", "0", "--template", path.path],
            environment: ["GATEHOUSE_DATA": data, "GATEHOUSE_IDENTITIES": Repository.identities])
        #expect(result.status == 2 && result.out.isEmpty)
        #expect(result.err == "gatehouse serve: GET /me: Auth.ResourcePolicy cannot be emulated locally; the local stack "
            + "refuses to start rather than answer differently from AWS\n")
    }
}
