import Runtime
import TokenAuthorizer
await LambdaRuntime.run { try TokenAuthorizer.runtime() }
