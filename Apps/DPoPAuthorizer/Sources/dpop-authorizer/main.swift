import DPoPAuthorizer
import HTTP
await DPoPAuthorizer.main()
