public import Policy

extension Scope {
    /// Reading the caller's own profile.
    public static let readProfile: Scope = "read:profile"
}
