import Glibc

/// A channel for a child process's output: its read end and its write end, both close-on-exec from their creation
/// (a Unix socket pair: `pipe2` is not visible to Swift, and `pipe` then `fcntl` leaves a moment in which a process
/// another thread spawns inherits the write end and keeps the reader from seeing the end until it exits). Give the
/// write end to the child with `posix_spawn_file_actions_adddup2` (the duplicate is inherited), then close it here.
public func outputChannel() throws -> (read: Int32, write: Int32) {
    var ends: [Int32] = [-1, -1]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
        throw SocketError("socketpair")
    }
    return (ends[0], ends[1])
}
