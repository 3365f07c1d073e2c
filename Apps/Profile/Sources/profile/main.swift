import Runtime
import Profile
await LambdaRuntime.run { ProfileFunction.runtime() }
