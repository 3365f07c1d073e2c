import HTTP
import Profile
await ProfileFunction.main()
