import Transport
import LocalStack
import Glibc
import Runtime
import Storage

/// `storage.sqlite.put`: single-item puts, each its own transaction (WAL, `synchronous=NORMAL`), for 3 s;
/// `storage.sqlite.scan`: items per second read back through `scan` pages of 1000 over 200k items (median of 3 passes).
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
    var passes: [Double] = []
    for _ in 0..<3 {
        var rows = 0
        var token: String?
        let scanStart = monotonicNanoseconds()
        repeat {
            let page = try await table.scan(limit: 1000, after: token)
            rows += page.items.count
            token = page.next
        } while token != nil
        passes.append(Double(rows) / (Double(monotonicNanoseconds() - scanStart) / 1e9))
    }
    let scanned = median(passes)
    for suffix in ["", "-wal", "-shm"] { unlink(folder + "/bench.sqlite" + suffix) }
    var lines = [BenchLine(name: "storage.sqlite.put", value: formatted(puts), unit: "ops/s"),
                 BenchLine(name: "storage.sqlite.scan", value: formatted(scanned), unit: "rows/s")]
    if let reference = await pythonSQLiteReference(folder: folder) {
        lines += [BenchLine(name: "storage.python.put", value: formatted(reference.puts), unit: "ops/s"),
                  BenchLine(name: "storage.python.scan", value: formatted(reference.rows), unit: "rows/s"),
                  BenchLine(name: "storage.sqlite.put.vs_python", value: formatted(puts / reference.puts, digits: 2), unit: "x"),
                  BenchLine(name: "storage.sqlite.scan.vs_python", value: formatted(scanned / reference.rows, digits: 2), unit: "x")]
    }
    rmdir(folder)
    return lines
}

/// The reference measured now, on this machine: Python's sqlite3, WAL, `synchronous=NORMAL`, one row per
/// transaction for 3 s, then a plain `SELECT` over 200k rows, median of 3 passes (rows are not decoded into items).
func pythonSQLiteReference(folder: String) async -> (puts: Double, rows: Double)? {
    let script = """
        import sqlite3, time
        c = sqlite3.connect("\(folder)/python.sqlite", isolation_level=None)
        c.execute("pragma journal_mode=wal"); c.execute("pragma synchronous=normal")
        c.execute("create table t(pk blob, sk blob, item blob, primary key(pk, sk)) without rowid")
        payload = b"x" * 120; n = 0; start = time.time()
        while time.time() - start < 3:
            c.execute("begin"); c.execute("insert into t values(?, x'', ?)", (str(n).encode(), payload)); c.execute("commit"); n += 1
        puts = n / (time.time() - start)
        c.execute("begin")
        c.executemany("insert or replace into t values(?, x'', ?)", ((str(i).encode(), payload) for i in range(200000)))
        c.execute("commit")
        passes = []
        for _ in range(3):
            start = time.time(); rows = sum(1 for _ in c.execute("select pk, sk, item from t order by pk, sk"))
            passes.append(rows / (time.time() - start))
        print(puts, sorted(passes)[1])
        """
    guard let output = try? await FunctionProcess.run("/usr/bin/env", arguments: ["python3", "-c", script], deadline: 120) else { return nil }
    for suffix in ["", "-wal", "-shm"] { unlink(folder + "/python.sqlite" + suffix) }
    let numbers = output.lines.joined(separator: " ").split(separator: " ").compactMap { Double($0) }
    return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
}
