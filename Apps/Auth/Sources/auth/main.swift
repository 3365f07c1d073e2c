import HTTP
import Auth
await AuthFunction.main()
