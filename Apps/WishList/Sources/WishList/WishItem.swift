/// An item as a caller submits it, before validation.
public struct NewItem: Codable, Sendable {
    public var name: String?
    public var description: String?
    public var url: String?

    /// An item to submit.
    public init(name: String?, description: String? = nil, url: String? = nil) {
        self.name = name
        self.description = description
        self.url = url
    }
}

/// A stored wish-list item.
public struct WishItem: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    public var url: String
}

/// Why a submitted item was refused; the message goes back to the caller.
public struct InvalidItem: Error, Sendable, Equatable {
    public let reason: String
}

extension NewItem {
    /// Limits: a name of 1–100 characters, a description up to 1000, an `http(s)` URL up to 2048 (characters as
    /// JSON Schema counts them: Unicode code points, so the OpenAPI document states exactly these limits).
    public func validated(id: String) throws(InvalidItem) -> WishItem {
        guard let name = name?.trimmingSpaces, !name.isEmpty else { throw InvalidItem(reason: "name is required") }
        guard name.unicodeScalars.count <= 100 else { throw InvalidItem(reason: "name is longer than 100 characters") }
        let description = self.description ?? ""
        guard description.unicodeScalars.count <= 1000 else {
            throw InvalidItem(reason: "description is longer than 1000 characters")
        }
        let url = self.url ?? ""
        if !url.isEmpty {
            let lower = url.lowercased()
            let rest = lower.hasPrefix("https://") ? url.dropFirst(8) : lower.hasPrefix("http://") ? url.dropFirst(7) : ""
            guard !rest.isEmpty, url.unicodeScalars.count <= 2048,
                  !url.unicodeScalars.contains(where: { $0.isSchemaWhitespace || $0.value < 0x20 })
            else { throw InvalidItem(reason: "url must be an http or https URL") }
        }
        return WishItem(id: id, name: name, description: description, url: url)
    }
}

extension String {
    /// Without leading and trailing white space, as the schema's `\s` means it (ECMAScript's set).
    var trimmingSpaces: String {
        var scalars = Substring(self).unicodeScalars
        while scalars.first?.isSchemaWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isSchemaWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }
}

extension Unicode.Scalar {
    /// ECMAScript's `\s` (WhiteSpace and LineTerminator), which JSON Schema patterns use.
    var isSchemaWhitespace: Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
        default: false
        }
    }
}
