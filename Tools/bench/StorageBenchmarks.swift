import Glibc
import Storage

/// `storage.sqlite.put`: single-item puts, each its own transaction (WAL, `synchronous=NORMAL`), for 3 s;
/// `storage.sqlite.scan`: items per second read back through `scan` pages of 1000 over 200k items.
/// Reference on this machine (issue 5): Python's sqlite3 does ~52k single-row WAL commits/s and scans 2.8M rows/s.
let storageBenchmarks = Benchmark(name: "storage") { _ in
    var template = Array("/tmp/gatehouse-bench-XXXXXX".utf8CString)
    let folder = String(cString: mkdtemp(&template)!)
    let table = try SQLiteTable(path: folder + "/bench.sqlite", name: "bench", schema: KeySchema(partitionKey: "id"))
    let payload = AttributeValue.string(String(repeating: "x", count: 100))
    var id = 0
    let start = monotonicNanoseconds()
    let end = start + 3_000_000_000
    var now = start
    while now < end {
        for _ in 0..<200 {
            try await table.put(["id": .number(id), "payload": payload])
            id += 1
        }
        now = monotonicNanoseconds()
    }
    let puts = Double(id) / (Double(now - start) / 1e9)

    for batch in stride(from: id, to: 200_000, by: 1000) {
        try await table.write((batch..<min(batch + 1000, 200_000)).map { .put(["id": .number($0), "payload": payload]) })
    }
    var rows = 0
    var token: String?
    let scanStart = monotonicNanoseconds()
    repeat {
        let page = try await table.scan(limit: 1000, after: token)
        rows += page.items.count
        token = page.next
    } while token != nil
    let scanned = Double(rows) / (Double(monotonicNanoseconds() - scanStart) / 1e9)
    for suffix in ["", "-wal", "-shm"] { unlink(folder + "/bench.sqlite" + suffix) }
    rmdir(folder)
    return [BenchLine(name: "storage.sqlite.put", value: formatted(puts), unit: "ops/s"),
            BenchLine(name: "storage.sqlite.scan", value: formatted(scanned), unit: "rows/s")]
}
