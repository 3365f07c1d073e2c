import FoundationEssentials
import Glibc
import GatehouseTesting
import Testing
@testable import Cedar

/// Cedar's own conformance tests: the handwritten ones and a fixed sample of the generated corpus must agree with
/// Rust's Cedar on every decision, reason and error (`make conformance` runs the whole corpus).
@Suite struct CedarCorpusTests {
    static let data = Repository.path("Packages/Policy/Tests/CedarTests/Corpus")

    /// The corpus, unpacked once into a temporary folder.
    static let corpus: String = {
        var folder = Array("/tmp/cedar-corpus-XXXXXX".utf8CString)
        let path = String(cString: mkdtemp(&folder)!)
        let status = system("tar xzf '\(data)/corpus-tests.tar.gz' -C '\(path)'")
        precondition(status == 0, "cannot unpack the corpus")
        return path
    }()

    /// The corpus tests a run covers: a fixed sample of about `CEDAR_CORPUS_LIMIT` (400 by default), evenly spread.
    static func sampledCorpusFiles() -> [String] {
        let files = corpusFiles()
        let limit = Int(ProcessInfo.processInfo.environment["CEDAR_CORPUS_LIMIT"] ?? "") ?? 400
        let stride = max(1, files.count / max(1, limit))
        return files.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
    }

    /// Every request of the sampled corpus tests through `conformance`: how many, and where they disagree.
    static func runSample(_ conformance: CedarConformance) -> (total: Int, disagreements: [String]) {
        sampledCorpusFiles().map(conformance.run).reduce((0, [])) { ($0.0 + $1.total, $0.1 + $1.disagreements) }
    }

    static func corpusFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus + "/corpus-tests")) ?? []
        return names.filter { $0.hasSuffix(".json") && !$0.hasSuffix(".entities.json") }.sorted().map { "corpus-tests/" + $0 }
    }

    @Test func theCorpusAgreesWithRustsCedar() throws {
        let files = Self.corpusFiles()
        #expect(files.count == 7809)
        let (total, disagreements) = Self.runSample(CedarConformance(root: Self.corpus))
        print("cedar corpus: \(total - disagreements.count)/\(total) requests agree")
        for line in disagreements.prefix(40) { print("  " + line) }
        #expect(disagreements.isEmpty)
    }

    @Test func theHandwrittenTestsAgreeWithRustsCedar() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.data + "/tests").sorted()
        let conformance = CedarConformance(root: Self.data)
        var total = 0, disagreements: [String] = []
        for folder in folders {
            let names = try FileManager.default.contentsOfDirectory(atPath: Self.data + "/tests/" + folder)
            for name in names.sorted() where name.hasSuffix(".json") {
                let result = conformance.run("tests/\(folder)/\(name)")
                total += result.total
                disagreements += result.disagreements
                if let disagreement = conformance.validationDisagreement("tests/\(folder)/\(name)") {
                    disagreements.append(disagreement)
                }
            }
        }
        print("cedar handwritten: \(total - disagreements.count)/\(total) requests agree")
        for line in disagreements.prefix(40) { print("  " + line) }
        #expect(disagreements.isEmpty)
    }

    @Test func theValidatorAgreesWithRustsCedar() throws {
        let conformance = CedarConformance(root: Self.corpus)
        var total = 0, disagreements: [String] = []
        for file in Self.sampledCorpusFiles() {
            total += 1
            if let disagreement = conformance.validationDisagreement(file) { disagreements.append(disagreement) }
        }
        print("cedar validation: \(total - disagreements.count)/\(total) corpus tests agree on shouldValidate")
        for line in disagreements.prefix(30) { print("  " + line) }
        #expect(disagreements.isEmpty)
    }

    /// Every corpus policy set written in the JSON policy format and read back is the same JSON, and answers every
    /// request as its text did.
    @Test func theJSONPolicyFormatRoundTripsTheCorpus() throws {
        var conformance = CedarConformance(root: Self.corpus)
        conformance.viaJSON = true
        let (total, disagreements) = Self.runSample(conformance)
        print("cedar JSON policy format: \(total - disagreements.count)/\(total) requests agree after a round trip")
        for line in disagreements.prefix(20) { print("  " + line) }
        #expect(disagreements.isEmpty)
    }
}
