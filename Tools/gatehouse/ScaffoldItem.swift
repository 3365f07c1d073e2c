/// The item files of a new service: the item and the body that creates one, with the schemas OpenAPI shows and the
/// examples the authorization matrix sends, and with `--table` the store that keeps them in the app's table.
extension AppScaffold {
    var itemFile: String {
        """
        public import HTTP

        /// One item of the \(name) service. Add your fields here, to `New\(itemType)` and to the schemas.
        public struct \(itemType): Codable, Sendable, Equatable, DocumentedBody {
            public var id: String
            public var text: String

            public init(id: String, text: String) {
                self.id = id
                self.text = text
            }

            public static let schema = JSONSchema.object(["id": .string, "text": .string], required: ["id", "text"])
            public static let example = \(itemType)(id: "k3x9q", text: "A first \(name) item")

            /// The answer to a creation: the new item's id.
            public struct Created: Codable, Sendable, DocumentedBody {
                public var id: String
                public static let schema = JSONSchema.object(["id": .string], required: ["id"])
                public static let example = Created(id: "k3x9q")
            }
        }

        /// An item as a caller submits it; `validated()` refuses what the schema refuses (400, with the reason).
        public struct New\(itemType): Codable, Sendable, DocumentedBody {
            public var text: String?

            public static let schema = JSONSchema.object(["text": .string(pattern: #"\\S"#, maxLength: 1000)], required: ["text"])
            public static let example = New\(itemType)(text: "A first \(name) item")

            /// The item's text, or why not.
            public func validatedText() throws(HTTPError) -> String {
                guard let text, text.contains(where: { !$0.isWhitespace }) else {
                    throw HTTPError(.badRequest, "text is required")
                }
                guard text.unicodeScalars.count <= 1000 else { throw HTTPError(.badRequest, "text is longer than 1000 characters") }
                return text
            }
        }

        """
    }

    var storeFile: String {
        """
        public import Storage

        /// The \(name) service's items in its table (`TABLE_NAME`; template.json's `\(typeName)Table`): one partition
        /// per tenant, or per caller on a route without a tenant (`partition`), sorted by item id. Add the queries your
        /// routes need here; the table is SQLite locally and DynamoDB on AWS.
        public struct \(typeName)Store: Sendable {
            /// The key schema the table has.
            public static let schema = KeySchema(partitionKey: "partition", sortKey: "id")

            private let table: any Table

            /// A store on `table`.
            public init(table: any Table) {
                self.table = table
            }

            /// An item as the table holds it.
            private struct Stored: Codable {
                var partition: String
                var id: String
                var text: String

                var item: \(itemType) { \(itemType)(id: id, text: text) }
            }

            /// A listing, as `GET` answers it.
            public struct Listing: Codable, Sendable {
                public var items: [\(itemType)]
            }

            /// Stores `item` in `partition`; its id must be new.
            public func add(_ item: \(itemType), in partition: String) async throws {
                try await table.put(Stored(partition: partition, id: item.id, text: item.text), condition: .notExists)
            }

            /// The items of `partition`.
            public func items(in partition: String) async throws -> [\(itemType)] {
                try await table.query(Stored.self, partition: .string(partition)).map(\\.item)
            }

            /// The item `id` of `partition`, if there is one.
            public func item(_ id: String, in partition: String) async throws -> \(itemType)? {
                try await table.get(Stored.self, Self.key(id, in: partition))?.item
            }

            /// Removes the item `id` of `partition` (nothing when there is none).
            public func delete(_ id: String, in partition: String) async throws {
                try await table.delete(Self.key(id, in: partition))
            }

            private static func key(_ id: String, in partition: String) -> ItemKey {
                ItemKey(partition: .string(partition), sort: .string(id))
            }
        }

        """
    }
}
