import HTTP
import TokenAuthorizer
await TokenAuthorizer.main()
