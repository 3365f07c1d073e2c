import Runtime
import RequestAuthorizer
await LambdaRuntime.run { try RequestAuthorizer.runtime() }
