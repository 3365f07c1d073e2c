import HTTP
import WishList
await WishListFunction.main()
