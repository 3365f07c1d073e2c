import CSockDiag
import Glibc
import Transport

/// Which process is at the other end of a loopback TCP connection. TCP has no peer credentials, so the peer's
/// socket is found by its ports (the kernel's sock_diag lookup, else `/proc/net/tcp`) and its inode looked for among
/// one process's descriptors.
enum LoopbackPeer {
    /// Whether the connection `socket` accepted was opened by process `pid`.
    static func isOwned(by pid: Int32, _ socket: Socket) -> Bool {
        guard let peerPort = port(of: socket.fd, peer: true), let ownPort = port(of: socket.fd, peer: false),
              let inode = diagnosedInode(localPort: peerPort, remotePort: ownPort)
                ?? socketInode(localPort: peerPort, remotePort: ownPort) else { return false }
        let wanted = "socket:[\(inode)]"
        guard let directory = opendir("/proc/\(pid)/fd") else { return false }
        defer { closedir(directory) }
        var target = [CChar](repeating: 0, count: 64)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let count = readlink("/proc/\(pid)/fd/\(name)", &target, target.count - 1)
            guard count > 0 else { continue }
            if String(decoding: target[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) == wanted { return true }
        }
        return false
    }

    /// The inode by an exact kernel lookup (microseconds); nil when the kernel cannot be asked or knows no such socket.
    static func diagnosedInode(localPort: UInt16, remotePort: UInt16) -> String? {
        let inode = gatehouse_loopback_socket_inode(localPort, remotePort)
        return inode > 0 ? String(inode) : nil
    }

    private static func port(of fd: Int32, peer: Bool) -> UInt16? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { peer ? getpeername(fd, $0, &length) : getsockname(fd, $0, &length) }
        }
        return status == 0 && address.sin_family == sa_family_t(AF_INET) ? UInt16(bigEndian: address.sin_port) : nil
    }

    /// The same from `/proc/net/tcp`, which walks every TCP socket of the machine (milliseconds): lines of
    /// `sl local rem st tx:rx tr:when retrnsmt uid timeout inode …`, addresses as `HEXIP:HEXPORT`.
    static func socketInode(localPort: UInt16, remotePort: UInt16) -> String? {
        guard let file = fopen("/proc/self/net/tcp", "r") else { return nil }
        defer { fclose(file) }
        let local = ":" + hex(localPort), remote = ":" + hex(remotePort)
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let fields = String(cString: line).split(separator: " ")
            guard fields.count > 9, fields[1].hasSuffix(local), fields[2].hasSuffix(remote) else { continue }
            return String(fields[9])
        }
        return nil
    }

    private static func hex(_ port: UInt16) -> String {
        let digits = String(port, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
