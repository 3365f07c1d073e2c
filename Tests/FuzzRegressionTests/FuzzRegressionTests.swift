import GatehouseTesting
import FoundationEssentials
import FuzzTargets
import Testing

/// Every fuzz target over its seed corpus and over every input a fuzzer ever stopped on (`Tools/fuzz/Regressions/`),
/// without libFuzzer: the invariants the fuzzers check hold for all of them, and none crashes.
@Suite struct FuzzRegressionTests {
    static let fuzzDirectory = Repository.path("Tools/fuzz")

    static func inputs(_ folder: String, _ target: FuzzTarget) -> [(name: String, bytes: [UInt8])] {
        let directory = "\(fuzzDirectory)/\(folder)/\(target.rawValue)"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().compactMap { name in
            FileManager.default.contents(atPath: "\(directory)/\(name)").map { (name, Array($0)) }
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedCorpus(_ target: FuzzTarget) {
        let seeds = Self.inputs("Corpus", target)
        #expect(!seeds.isEmpty, "no seeds for \(target.rawValue); run Tools/fuzz/extract-seeds.py")
        for seed in seeds {
            #expect(throws: Never.self, "seed \(seed.name)") { try target.run(seed.bytes) }
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func regressions(_ target: FuzzTarget) {
        for input in Self.inputs("Regressions", target) {
            #expect(throws: Never.self, "regression \(input.name)") { try target.run(input.bytes) }
        }
    }
}
