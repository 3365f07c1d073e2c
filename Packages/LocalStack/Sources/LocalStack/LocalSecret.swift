import FoundationEssentials
import Glibc

/// Secrets the local stack keeps under its data folder: made on first use, written with mode 0600 from the start,
/// read back on every later start. None is a constant in the source, so no one else can mint tokens it trusts.
public enum LocalSecret {
    /// The contents of `folder/name`, created from `make()` when the file does not exist yet.
    static func load(_ name: String, in folder: String, make: () throws -> String) throws -> String {
        let path = folder + "/" + name
        if let stored = try? String(contentsOfFile: path, encoding: .utf8) { return stored }
        mkdir(folder, 0o700)
        let text = try make()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            // Another process made it first: theirs is the one to use.
            if errno == EEXIST, let stored = try? String(contentsOfFile: path, encoding: .utf8) { return stored }
            throw ServeError("cannot write \(path)")
        }
        defer { close(fd) }
        let written = text.withCString { write(fd, $0, strlen($0)) }
        guard written == text.utf8.count else { throw ServeError("cannot write \(path)") }
        return text
    }

    /// The template's `SecretKey` (the `auth` app's HS256 key): `given` when there is one, else 256 random bits
    /// kept as `secret-key` under `folder`.
    public static func secretKey(in folder: String, given: String?) throws -> String {
        if let given { return given }
        return try load("secret-key", in: folder) {
            var generator = SystemRandomNumberGenerator()
            return (0..<4).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
