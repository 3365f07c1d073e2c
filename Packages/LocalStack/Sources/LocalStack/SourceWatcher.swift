import Glibc

/// Changes to a project's files through Linux's inotify (the system call, no package): every folder under the
/// watched ones (build output and hidden folders left out, new folders picked up as they appear), and single files
/// by name through their folder, so an editor that saves by writing a new file and renaming it is still seen.
final class SourceWatcher: @unchecked Sendable {
    private let descriptor: Int32
    private let root: String
    /// Watch descriptor → its folder, relative to the root ("" for the root itself).
    private var folders: [Int32: String] = [:]
    private let recursive: Set<String>
    private let files: Set<String>

    /// Watches the folders `recursive` (relative to `root`, with everything under them) and the files `files`.
    init(root: String, recursive: [String], files: [String]) throws {
        descriptor = inotify_init1(Int32(IN_CLOEXEC))
        guard descriptor >= 0 else { throw ServeError("inotify_init1 failed (errno \(errno))") }
        self.root = root
        self.recursive = Set(recursive)
        self.files = Set(files)
        for folder in recursive { watchTree(folder) }
        for folder in Set(files.map(Self.folder(of:))) { watch(folder) }
    }

    deinit { close(descriptor) }

    /// Blocks until something changes, then until `quietMilliseconds` pass with no further change (a save of many
    /// files, or a branch switch, is one reload); the changed paths, relative to the root.
    func nextChanges(quietMilliseconds: Int32 = 300) -> Set<String> {
        var changed: Set<String> = []
        var timeout: Int32 = -1
        while true {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, timeout)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 {
                if changed.isEmpty { timeout = -1; continue }
                return changed
            }
            changed.formUnion(readEvents())
            if !changed.isEmpty { timeout = quietMilliseconds }
        }
    }

    private func readEvents() -> Set<String> {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = read(descriptor, &buffer, buffer.count)
        guard count > 0 else { return [] }
        var changed: Set<String> = []
        var offset = 0
        let header = MemoryLayout<inotify_event>.size
        while offset + header <= count {
            let (watch, mask, length) = buffer.withUnsafeBytes { bytes in
                (bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                 bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                 Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
            }
            let nameBytes = buffer[(offset + header)..<min(count, offset + header + length)].prefix { $0 != 0 }
            offset += header + length
            guard let folder = folders[watch], !nameBytes.isEmpty else { continue }
            let name = String(decoding: nameBytes, as: UTF8.self)
            let path = folder.isEmpty ? name : folder + "/" + name
            if mask & UInt32(IN_ISDIR) != 0 {
                guard Self.isWatched(name) && isUnderRecursive(path) else { continue }
                if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { watchTree(path) }
                changed.insert(path)  // a folder added or removed (a new app, a deleted one)
                continue
            }
            if files.contains(path) || (isUnderRecursive(path) && Self.isSource(name)) { changed.insert(path) }
        }
        return changed
    }

    private func isUnderRecursive(_ path: String) -> Bool {
        recursive.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    private func watchTree(_ folder: String) {
        watch(folder)
        guard let directory = opendir(path(of: folder)) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if entry.pointee.d_type == UInt8(DT_DIR), Self.isWatched(name) { watchTree(folder + "/" + name) }
        }
    }

    private func watch(_ folder: String) {
        let full = path(of: folder)
        let mask = UInt32(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM)
        let watch = inotify_add_watch(descriptor, full, mask)
        if watch >= 0 { folders[watch] = folder }
    }

    /// A watched folder's path: relative ones are under the root, absolute ones (a template elsewhere) as they are.
    private func path(of folder: String) -> String {
        folder.isEmpty ? root : folder.hasPrefix("/") ? folder : root + "/" + folder
    }

    /// Folders worth watching: not hidden, not build output.
    private static func isWatched(_ name: String) -> Bool {
        !name.hasPrefix(".") && name != "build" && name != "." && name != ".."
    }

    /// Files that change what is built: Swift and C sources, headers, module maps, package manifests.
    private static func isSource(_ name: String) -> Bool {
        !name.hasPrefix(".") && [".swift", ".c", ".h", ".modulemap"].contains { name.hasSuffix($0) }
    }

    private static func folder(of file: String) -> String {
        file.contains("/") ? String(file[..<file.lastIndex(of: "/")!]) : ""
    }
}
