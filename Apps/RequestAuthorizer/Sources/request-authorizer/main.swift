import HTTP
import RequestAuthorizer
await RequestAuthorizer.main()
