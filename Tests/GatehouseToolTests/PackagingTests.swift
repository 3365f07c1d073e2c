import GatehouseTesting
import Foundation
import Testing

/// `make package`'s guards: the provided.al2023 ABI check on deliberately bad binaries, and the refusal to package
/// for an architecture this host cannot build.
@Suite struct PackagingTests {
    static let root = URL(fileURLWithPath: Repository.root)
    static let abiCheck = root.appendingPathComponent("Tools/package/abi-check").path
    static let hostArch = JWTVerifyCommandTests.run(["/usr/bin/uname", "-m"]).out
        .trimmingCharacters(in: .whitespacesAndNewlines) == "aarch64" ? "arm64" : "x86_64"
    static let otherArch = hostArch == "arm64" ? "x86_64" : "arm64"
    static let hasCompiler = FileManager.default.isExecutableFile(atPath: "/usr/bin/cc")
        && FileManager.default.fileExists(atPath: "/usr/include/math.h")

    /// Compiles C `source` with `flags` into a temporary executable.
    static func compile(_ source: String, flags: [String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("abi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("main.c")
        try source.write(to: file, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("bootstrap").path
        let result = JWTVerifyCommandTests.run(["/usr/bin/cc", "-O1", file.path, "-o", output] + flags)
        #expect(result.status == 0, "cc: \(result.err)")
        return output
    }

    @Test(.enabled(if: hasCompiler, "skipped: no C compiler to make a bad binary"))
    func abiCheckNamesEveryOffender() throws {
        // hypotf@GLIBC_2.35 (glibc ≥ 2.35 hosts) and libz, which provided.al2023 does not ship.
        let bad = try Self.compile("""
            #include <math.h>
            extern const char *zlibVersion(void);
            int main(int argc, char **argv) { return (int)hypotf((float)argc, 2.0f) + zlibVersion()[0]; }
            """, flags: ["-lm", "-l:libz.so.1"])
        let result = JWTVerifyCommandTests.run([Self.abiCheck, Self.hostArch, bad])
        #expect(result.status == 1)
        #expect(result.out.contains("\(bad): needs libz.so.1, which provided.al2023 does not ship"))
        if JWTVerifyCommandTests.run(["/usr/bin/objdump", "-T", bad]).out.contains("GLIBC_2.35") {
            #expect(result.out.contains("\(bad): hypotf needs GLIBC_2.35; provided.al2023 has GLIBC_2.34"))
        }
        let wrongMachine = JWTVerifyCommandTests.run([Self.abiCheck, Self.otherArch, bad])
        #expect(wrongMachine.status == 1)
        #expect(wrongMachine.out.contains(", not \(Self.otherArch)"))
    }

    @Test(.enabled(if: hasCompiler, "skipped: no C compiler to make a binary"))
    func abiCheckPassesALoadableBinary() throws {
        let good = try Self.compile("int main(int argc, char **argv) { return argc > 5; }", flags: [])
        let result = JWTVerifyCommandTests.run([Self.abiCheck, Self.hostArch, good])
        #expect(result.status == 0, "\(result.out)")
        #expect(result.out == "abi-check: 1 bootstrap(s) load on provided.al2023 (\(Self.hostArch))\n")
    }

    @Test func packageRefusesAnArchitectureThisHostCannotBuild() {
        let result = JWTVerifyCommandTests.run(
            ["/usr/bin/make", "-s", "-C", Self.root.path, "package", "ARCH=\(Self.otherArch)", "SWIFT_SDK="])
        #expect(result.status != 0)
        let lines = result.err.split(separator: "\n").filter { !($0.hasPrefix("make") && $0.contains("*** [")) }
        #expect(lines == ["make package: the template's functions are \(Self.otherArch) but this host builds "
            + "\(Self.hostArch) and no Swift SDK for \(Self.otherArch) is given: set SWIFT_SDK=<id from 'swift sdk list'> "
            + "(docs/deploy.md) or ARCH=\(Self.hostArch) with Architecture=\(Self.hostArch) on deploy"])
    }
}
