import AWS
import Glibc
import Transport
public import Storage
public import Testing

/// `moto_server` (PyPI `moto[server]`) on loopback with request signing enforced: the first three calls (allowed
/// without auth) create an IAM user, its policy and an access key; every later call must be signed with that key.
public final class MotoServer: Sendable {
    let pid: pid_t
    let port: UInt16
    let credentials: AWSCredentials

    /// One server for the whole test run, or nil (with the reason printed) when no Python with moto is found.
    public static let shared: MotoServer? = {
        do {
            return try MotoServer()
        } catch {
            print("DynamoDB conformance tests skipped: \(error)")
            return nil
        }
    }()

    /// Why a DynamoDB test was skipped.
    public static let skipReason: Comment = "skipped: no Python with moto[server] and boto3 (make test installs them into .venv/)"

    /// The server's URL.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// The configuration of a client signing with the test key (or with `secret` instead of its secret).
    public func configuration(secret: String? = nil) -> AWSConfiguration {
        var credentials = credentials
        if let secret { credentials.secretAccessKey = secret }
        return AWSConfiguration(region: "us-east-1", credentials: credentials, endpoint: endpoint)
    }

    /// The server outlives no test run: the process kills it on exit.
    private nonisolated(unsafe) static var runningPID: pid_t = 0

    private init() throws {
        guard let python = Self.python() else { throw SocketError("python with moto, flask and boto3", code: ENOENT) }
        let probe = try Socket.listen(host: "127.0.0.1", port: 0)
        port = probe.localPort
        probe.shutdown()
        pid = try Self.spawn([python, "-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)],
                             environment: ["INITIAL_NO_AUTH_ACTION_COUNT=3"], output: nil)
        var up = false
        for _ in 0..<200 where !up {
            up = (try? Socket.connect(host: "127.0.0.1", port: port)) != nil
            if !up { usleep(50_000) }
        }
        Self.runningPID = pid
        atexit { if MotoServer.runningPID > 0 { kill(MotoServer.runningPID, SIGKILL) } }
        guard up else { throw SocketError("moto_server did not start", code: ETIMEDOUT) }
        let script = """
            import boto3, json
            iam = boto3.client("iam", endpoint_url="http://127.0.0.1:\(port)", region_name="us-east-1",
                               aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
            iam.create_user(UserName="gatehouse-tests")
            iam.put_user_policy(UserName="gatehouse-tests", PolicyName="dynamodb", PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}))
            key = iam.create_access_key(UserName="gatehouse-tests")["AccessKey"]
            print(key["AccessKeyId"], key["SecretAccessKey"])
            """
        // Close-on-exec from the start: a process spawned meanwhile must not hold the write end open past the helper's exit.
        let channel = try outputChannel()
        let fds = [channel.read, channel.write]
        let helper = try Self.spawn([python, "-c", script], environment: [], output: fds[1])
        close(fds[1])
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let count = read(fds[0], &buffer, buffer.count)
            guard count > 0 else { break }
            output += buffer[0..<count]
        }
        close(fds[0])
        var status: Int32 = 0
        waitpid(helper, &status, 0)
        let words = String(decoding: output, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard status == 0, words.count == 2 else {
            kill(pid, SIGKILL)
            throw SocketError("creating the IAM key through moto failed", code: EIO)
        }
        credentials = AWSCredentials(accessKeyID: String(words[0]), secretAccessKey: String(words[1]))
    }

    private static func python() -> String? {
        var candidates: [String] = []
        if let explicit = ProcessEnvironment.value("GATEHOUSE_PYTHON") { candidates.append(explicit) }
        candidates += ["/usr/bin/python3", "/usr/local/bin/python3"]
        if let home = ProcessEnvironment.value("HOME") { candidates.append(home + "/.pyenv/shims/python3") }
        return candidates.first { candidate in
            guard access(candidate, X_OK) == 0,
                  let pid = try? spawn([candidate, "-c", "import moto.server, flask, boto3"], environment: [], output: nil)
            else { return false }
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            return status == 0
        }
    }

    private static func spawn(_ arguments: [String], environment: [String], output: Int32?) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let output {
            posix_spawn_file_actions_adddup2(&actions, output, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var env: [String] = environment
        var entry = environ
        while let pointer = entry.pointee {
            env.append(String(cString: pointer))
            entry += 1
        }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        guard posix_spawn(&pid, arguments[0], &actions, nil, argv, envp) == 0 else { throw SocketError("spawn \(arguments[0])") }
        return pid
    }
}
