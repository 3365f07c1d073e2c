import Runtime
import WishList
await LambdaRuntime.run { try WishListFunction.runtime() }
