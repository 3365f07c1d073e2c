import Runtime
import Auth
await LambdaRuntime.run { try await AuthFunction.runtime() }
