public import Policy

extension Scope {
    /// Adding items to the wish list.
    public static let writeWishlist: Scope = "write:wishlist"
}
