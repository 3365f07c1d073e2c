public import Runtime
public import HTTP
import Storage

/// The deployable function: configuration from the environment (`TABLE_NAME`, `GATEHOUSE_STORAGE`), checked at init.
public enum WishListFunction: LambdaFunction {
    /// The Lambda runtime serving the wish-list API.
    public static func runtime() throws -> LambdaRuntime {
        let table = try StorageBackend.fromEnvironment().openTable(name: try requiredEnvironment("TABLE_NAME"),
                                                                   schema: WishListStore.schema)
        return LambdaRuntime(WishListRoutes.application(store: WishListStore(table: table), observability: .lambda()))
    }

    /// The routes, for `--describe` (built on an in-memory store: no environment is read).
    public static var description: FunctionDescription {
        FunctionDescription(router: WishListRoutes.application(store: WishListStore(table: MemoryTable(schema: WishListStore.schema))).router)
    }
}
