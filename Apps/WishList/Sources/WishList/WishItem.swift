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
    /// Limits: a name of 1–100 characters, a description up to 1000, an `http(s)` URL up to 2048.
    public func validated(id: String) throws(InvalidItem) -> WishItem {
        guard let name = name?.trimmingSpaces, !name.isEmpty else { throw InvalidItem(reason: "name is required") }
        guard name.count <= 100 else { throw InvalidItem(reason: "name is longer than 100 characters") }
        let description = self.description ?? ""
        guard description.count <= 1000 else { throw InvalidItem(reason: "description is longer than 1000 characters") }
        let url = self.url ?? ""
        if !url.isEmpty {
            let lower = url.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), url.count > 8 else {
                throw InvalidItem(reason: "url must be an http or https URL")
            }
            guard url.count <= 2048, !url.contains(where: { $0 == " " || $0.isNewline }) else {
                throw InvalidItem(reason: "url must be an http or https URL")
            }
        }
        return WishItem(id: id, name: name, description: description, url: url)
    }
}

extension String {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first?.isWhitespace == true { slice.removeFirst() }
        while slice.last?.isWhitespace == true { slice.removeLast() }
        return String(slice)
    }
}
