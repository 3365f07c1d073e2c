import Glibc

// The `gatehouse` command. Exit status: 0 success, 1 a refused input (such as an invalid token), 2 bad usage.
let usage = """
    usage: gatehouse jwt verify --jwks FILE --issuer ISS --audience AUD [--scope S]... [--leeway SECONDS] TOKEN|-
           gatehouse invoke APP --event FILE [--timeout SECONDS]
           gatehouse serve [--port N] [--template template.json]
           gatehouse token --client ID --secret S [--audience A] [--port N]
           gatehouse routes [--template template.json]
    """

var arguments = Array(CommandLine.arguments.dropFirst())
let status: Int32
switch (arguments.first, arguments.dropFirst().first) {
case ("jwt", "verify"):
    status = JWTVerifyCommand.run(Array(arguments.dropFirst(2)))
case ("serve", _):
    status = await ServeCommand.run(Array(arguments.dropFirst()))
case ("routes", _):
    status = RoutesCommand.run(Array(arguments.dropFirst()))
case ("token", _):
    status = await TokenCommand.run(Array(arguments.dropFirst()))
case ("invoke", _):
    status = await InvokeCommand.run(Array(arguments.dropFirst()))
default:
    writeLine(usage, to: .error)
    status = 2
}
exit(status)
