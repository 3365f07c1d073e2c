import FoundationEssentials
public import TransportClient

/// A DynamoDB table through the JSON protocol: the backend on Lambda. Reads are strongly consistent, so the same
/// conformance tests hold as for SQLite.
public final class DynamoDBTable: Table {
    /// A key attribute's DynamoDB type, needed only to create a table.
    public enum KeyType: String, Sendable {
        case string = "S", number = "N", binary = "B"
    }

    public let schema: KeySchema
    private let name: String
    private let client: DynamoDBClient

    /// The table `name` with `schema`, reached through `configuration`.
    public init(name: String, schema: KeySchema, configuration: AWSConfiguration, http: HTTPClient) {
        self.name = name
        self.schema = schema
        self.client = DynamoDBClient(configuration: configuration, http: http)
    }

    /// Creates the table (on-demand capacity) when it does not exist yet; for local development and tests.
    public func createIfMissing(partitionKeyType: KeyType, sortKeyType: KeyType? = nil) async throws {
        struct Create: Encodable {
            struct Definition: Encodable { var AttributeName: String; var AttributeType: String }
            struct Element: Encodable { var AttributeName: String; var KeyType: String }
            var TableName: String
            var AttributeDefinitions: [Definition]
            var KeySchema: [Element]
            var BillingMode = "PAY_PER_REQUEST"
        }
        var definitions = [Create.Definition(AttributeName: schema.partitionKey, AttributeType: partitionKeyType.rawValue)]
        var elements = [Create.Element(AttributeName: schema.partitionKey, KeyType: "HASH")]
        if let sortKey = schema.sortKey, let sortKeyType {
            definitions.append(.init(AttributeName: sortKey, AttributeType: sortKeyType.rawValue))
            elements.append(.init(AttributeName: sortKey, KeyType: "RANGE"))
        }
        do {
            _ = try await client.call("CreateTable", Create(TableName: name, AttributeDefinitions: definitions, KeySchema: elements))
        } catch let error as StorageError where error.reason.contains("ResourceInUseException") {
            return
        }
    }

    public func put(_ item: Item, condition: WriteCondition) async throws {
        _ = try schema.key(of: item)
        var request = Write(TableName: name, Item: item)
        request.condition(condition, schema)
        _ = try await client.call("PutItem", request)
    }

    public func get(_ key: ItemKey) async throws -> Item? {
        try schema.validate(key)
        struct Get: Encodable { var TableName: String; var Key: Item; var ConsistentRead = true }
        struct Answer: Decodable { var Item: Item? }
        let body = try await client.call("GetItem", Get(TableName: name, Key: itemKey(key)))
        return try JSONDecoder().decode(Answer.self, from: Data(body)).Item
    }

    public func delete(_ key: ItemKey, condition: WriteCondition) async throws {
        try schema.validate(key)
        var request = Write(TableName: name, Key: itemKey(key))
        request.condition(condition, schema)
        _ = try await client.call("DeleteItem", request)
    }

    public func query(partition: AttributeValue, sort: SortKeyCondition?, limit: Int?, forward: Bool) async throws -> [Item] {
        var names = ["#pk": schema.partitionKey]
        var values: Item = [":pk": partition]
        var expression = "#pk = :pk"
        if let sort, let sortKey = schema.sortKey {
            names["#sk"] = sortKey
            switch sort {
            case .equals(let value): expression += " AND #sk = :a"; values[":a"] = value
            case .lessThan(let value): expression += " AND #sk < :a"; values[":a"] = value
            case .lessThanOrEqual(let value): expression += " AND #sk <= :a"; values[":a"] = value
            case .greaterThan(let value): expression += " AND #sk > :a"; values[":a"] = value
            case .greaterThanOrEqual(let value): expression += " AND #sk >= :a"; values[":a"] = value
            case .between(let low, let high): expression += " AND #sk BETWEEN :a AND :b"; values[":a"] = low; values[":b"] = high
            case .beginsWith(let prefix): expression += " AND begins_with(#sk, :a)"; values[":a"] = .string(prefix)
            }
        }
        struct Query: Encodable {
            var TableName: String
            var KeyConditionExpression: String
            var ExpressionAttributeNames: [String: String]
            var ExpressionAttributeValues: Item
            var ScanIndexForward: Bool
            var ConsistentRead = true
            var Limit: Int?
            var ExclusiveStartKey: Item?
        }
        var items: [Item] = []
        var start: Item?
        repeat {
            let remaining = limit.map { $0 - items.count }
            let page = try await client.call("Query", Query(
                TableName: name, KeyConditionExpression: expression, ExpressionAttributeNames: names,
                ExpressionAttributeValues: values, ScanIndexForward: forward, Limit: remaining, ExclusiveStartKey: start))
            let answer = try JSONDecoder().decode(PageAnswer.self, from: Data(page))
            items += answer.Items
            start = answer.LastEvaluatedKey
        } while start != nil && (limit.map { items.count < $0 } ?? true)
        return items
    }

    public func scan(limit: Int, after token: String?) async throws -> Page {
        guard limit > 0 else { throw StorageError(.invalidRequest, "scan limit must be positive") }
        struct Scan: Encodable {
            var TableName: String
            var Limit: Int
            var ConsistentRead = true
            var ExclusiveStartKey: Item?
        }
        let start = try token.map { token throws(StorageError) -> Item in
            guard let data = Data(base64Encoded: token), let key = try? JSONDecoder().decode(Item.self, from: data) else {
                throw StorageError(.invalidRequest, "invalid page token")
            }
            return key
        }
        let body = try await client.call("Scan", Scan(TableName: name, Limit: limit, ExclusiveStartKey: start))
        let answer = try JSONDecoder().decode(PageAnswer.self, from: Data(body))
        let next = try answer.LastEvaluatedKey.map { try JSONEncoder().encode($0).base64EncodedString() }
        return Page(items: answer.Items, next: next)
    }

    public func transact(_ requests: [WriteRequest]) async throws {
        guard requests.count <= 100 else { throw StorageError(.invalidRequest, "a transaction holds at most 100 writes") }
        _ = try schema.keys(of: requests)
        struct Transaction: Encodable {
            struct Entry: Encodable { var Put: Write?; var Delete: Write? }
            var TransactItems: [Entry]
        }
        var entries: [Transaction.Entry] = []
        for request in requests {
            switch request {
            case .put(let item, let condition):
                var write = Write(TableName: name, Item: item)
                write.condition(condition, schema)
                entries.append(.init(Put: write))
            case .delete(let key, let condition):
                var write = Write(TableName: name, Key: itemKey(key))
                write.condition(condition, schema)
                entries.append(.init(Delete: write))
            }
        }
        _ = try await client.call("TransactWriteItems", Transaction(TransactItems: entries))
    }

    private func itemKey(_ key: ItemKey) -> Item {
        var item: Item = [schema.partitionKey: key.partition]
        if let sortKey = schema.sortKey, let sort = key.sort { item[sortKey] = sort }
        return item
    }

    private struct PageAnswer: Decodable {
        var Items: [Item]
        var LastEvaluatedKey: Item?
    }

    /// A put or delete with its optional condition on the item's existence.
    private struct Write: Encodable {
        var TableName: String
        var Item: Item?
        var Key: Item?
        var ConditionExpression: String?
        var ExpressionAttributeNames: [String: String]?

        init(TableName: String, Item: Item? = nil, Key: Item? = nil) {
            self.TableName = TableName
            self.Item = Item
            self.Key = Key
        }

        mutating func condition(_ condition: WriteCondition, _ schema: KeySchema) {
            switch condition {
            case .none: return
            case .notExists: ConditionExpression = "attribute_not_exists(#pk)"
            case .exists: ConditionExpression = "attribute_exists(#pk)"
            }
            ExpressionAttributeNames = ["#pk": schema.partitionKey]
        }
    }
}
