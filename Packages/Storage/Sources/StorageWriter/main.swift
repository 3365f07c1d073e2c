import Glibc
import Storage

// Writes items to a SQLite table as fast as it can and writes each id to stdout once its put returned
// (acknowledged). The storage tests kill it with SIGKILL mid-stream and check every acknowledged item survived.
// usage: storage-writer PATH
func say(_ text: String, to fd: Int32) {
    var line = text + "\n"
    line.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
}

guard CommandLine.arguments.count == 2 else {
    say("usage: storage-writer PATH", to: 2)
    exit(2)
}
let table = try SQLiteTable(path: CommandLine.arguments[1], name: "crash", schema: KeySchema(partitionKey: "id"))
var id = 0
while true {
    try await table.put(["id": .number(id), "payload": .string(String(repeating: "x", count: 200))])
    say(String(id), to: 1)
    id += 1
}
