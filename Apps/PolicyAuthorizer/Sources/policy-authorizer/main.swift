import HTTP
import PolicyAuthorizer
await PolicyAuthorizer.main()
