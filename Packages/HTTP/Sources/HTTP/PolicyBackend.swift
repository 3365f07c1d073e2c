import AWS
import Transport
public import TransportClient

/// Which policies a function decides with, chosen like its storage: `GATEHOUSE_POLICIES` unset or `embedded` →
/// the app's policy files (`EmbeddedPolicies`); `avp:STORE_ID` → that Verified Permissions policy store, called
/// with the function's role (`AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS` points elsewhere, such as the local stack's
/// `/avp`). Anything else fails at init, naming the variable.
public enum PolicyBackend {
    /// Why the environment names no usable backend.
    public struct Misconfigured: Error, CustomStringConvertible {
        public let description: String
    }

    /// The backend the environment names; `sourceFile` is the app's `#filePath` (where embedded policies are found
    /// outside Lambda).
    public static func fromEnvironment(sourceFile: String = #filePath, http: HTTPClient? = nil) throws -> any PolicyDecider {
        let choice = ProcessEnvironment.nonEmptyValue("GATEHOUSE_POLICIES") ?? "embedded"
        if choice == "embedded" { return try EmbeddedPolicies.forFunction(sourceFile: sourceFile) }
        guard choice.hasPrefix("avp:"), case let storeID = String(choice.dropFirst(4)), !storeID.isEmpty else {
            throw Misconfigured(description: "GATEHOUSE_POLICIES must be embedded or avp:STORE_ID, not \(choice.prefix(60))")
        }
        return VerifiedPermissionsPolicies(storeID: storeID, service: try verifiedPermissions(for: "GATEHOUSE_POLICIES=avp:…"),
                                           http: try http ?? HTTPClient())
    }

    /// Verified Permissions called with the function's role (and `AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS` when set);
    /// a missing variable fails naming it and `setting`, the configuration that needs it.
    static func verifiedPermissions(for setting: String) throws -> AWSService {
        do { return try AWSService.fromEnvironment(signingName: "verifiedpermissions", service: "verifiedpermissions") } catch {
            throw Misconfigured(description: "\(error) for \(setting)")
        }
    }
}
