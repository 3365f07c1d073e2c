import GatehouseTesting
import Glibc

// `make bench`: each figure printed as one line, `bench NAME VALUE UNIT`. Pass names to run only those.
let selected = Set(CommandLine.arguments.dropFirst())
let products = productsDirectory()

for benchmark in allBenchmarks where selected.isEmpty || selected.contains(where: benchmark.name.hasPrefix) {
    for line in try await benchmark.run(products) {
        print("bench \(line.name) \(line.value) \(line.unit)")
    }
}

/// The folder of this executable, where the release build also put the executables it measures.
func productsDirectory() -> String { Repository.builtProducts }
