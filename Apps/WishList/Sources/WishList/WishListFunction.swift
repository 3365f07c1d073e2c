public import Runtime
public import HTTP
import Storage

/// The deployable function: configuration from the environment (`TABLE_NAME`, `GATEHOUSE_STORAGE`,
/// `GATEHOUSE_POLICIES`), checked at init.
public enum WishListFunction: LambdaFunction {
    /// The Lambda runtime serving the wish-list API.
    public static func runtime() throws -> LambdaRuntime {
        let table = try StorageBackend.fromEnvironment().openTable(name: try requiredEnvironment("TABLE_NAME"),
                                                                   schema: WishListStore.schema)
        let policies = try PolicyBackend.fromEnvironment()
        return LambdaRuntime(WishListRoutes.application(table: table, policies: policies, observability: .lambda()))
    }

    /// The routes, for `--describe` (built on an in-memory store without policies: no environment is read).
    public static var description: FunctionDescription {
        let table = MemoryTable(schema: WishListStore.schema)
        return FunctionDescription(router: WishListRoutes.application(table: table, policies: nil).router)
    }
}
