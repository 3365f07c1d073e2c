import HTTP
import JSON

/// One object of `template.json` read strictly: a member of another shape than SAM takes is a `TemplateProblem`
/// naming it, never read as absent — an absent `AuthorizationScopes` or `ApiKeyRequired` would leave a route open
/// here that is protected on AWS, an absent `Events` would leave it out.
struct TemplateObject {
    let members: [String: JSONValue]
    /// Where it sits, as error messages name it (`Auth`, `Identity`); empty at the level a refusal already names.
    let path: String

    init(_ members: [String: JSONValue], path: String = "") {
        self.members = members
        self.path = path
    }

    /// `value` as an object at `path`; nil stays empty.
    init(_ value: JSONValue?, path: String) throws(TemplateProblem) {
        guard let value else { self.init([:], path: path); return }
        guard let members = value.objectValue else { throw TemplateProblem(path, mustBe: "an object") }
        self.init(members, path: path)
    }

    subscript(name: String) -> JSONValue? { members[name] }

    /// The member names, sorted (so the first unknown one named is always the same).
    var names: [String] { members.keys.sorted() }

    /// Member `name` as an object; nil when absent.
    func object(_ name: String) throws(TemplateProblem) -> TemplateObject? {
        guard let value = members[name] else { return nil }
        return try TemplateObject(value, path: place(name))
    }

    /// Member `name` as literal text (a string, or a number or boolean CloudFormation reads as text); nil when absent.
    func text(_ name: String) throws(TemplateProblem) -> String? {
        guard let value = members[name] else { return nil }
        guard let text = value.text else { throw TemplateProblem(place(name), mustBe: "a string") }
        return text
    }

    /// Member `name` as text or a `Ref`/`Fn::GetAtt` the resolver answers; nil when absent.
    func resolved(_ name: String, _ resolver: Resolver) throws(TemplateProblem) -> String? {
        try resolved(name, resolver, as: "a string or a Ref") { $0 }
    }

    /// Every member as text or a `Ref` the resolver answers (an environment's or a stage's variables).
    func resolvedMembers(_ resolver: Resolver) throws(TemplateProblem) -> [String: String] {
        var values: [String: String] = [:]
        for name in names { values[name] = try resolved(name, resolver) }
        return values
    }

    /// Member `name` resolved and converted by `convert`; nil when absent, `expected` named when it does not convert.
    private func resolved<Value>(_ name: String, _ resolver: Resolver, as expected: String,
                                 _ convert: (String) -> Value?) throws(TemplateProblem) -> Value? {
        guard let value = members[name] else { return nil }
        guard let converted = resolver.resolve(value).flatMap(convert) else {
            throw TemplateProblem(place(name), mustBe: expected)
        }
        return converted
    }

    /// Member `name` as a list of texts (and of `Ref`s, given a resolver); nil when absent.
    func texts(_ name: String, _ resolver: Resolver? = nil) throws(TemplateProblem) -> [String]? {
        guard let value = members[name] else { return nil }
        guard let list = value.arrayValue, case let texts = list.compactMap({ resolver?.resolve($0) ?? $0.text }),
              texts.count == list.count else {
            throw TemplateProblem(place(name), mustBe: "a list of strings")
        }
        return texts
    }

    /// Member `name` as a list of objects; nil when absent.
    func objects(_ name: String) throws(TemplateProblem) -> [TemplateObject]? {
        guard let value = members[name] else { return nil }
        guard let list = value.arrayValue, case let objects = list.compactMap(\.objectValue),
              objects.count == list.count else { throw TemplateProblem(place(name), mustBe: "a list of objects") }
        return objects.map { TemplateObject($0, path: place(name)) }
    }

    /// The object without member `name`.
    func removing(_ name: String) -> TemplateObject {
        var members = members
        members[name] = nil
        return TemplateObject(members, path: path)
    }

    /// Member `name` as a number, literal or resolved; nil when absent.
    func number(_ name: String, _ resolver: Resolver) throws(TemplateProblem) -> Double? {
        try resolved(name, resolver, as: "a number") { Double($0) }
    }

    /// Member `name` as a boolean (`true`, or the text `"true"` CloudFormation also takes); nil when absent.
    func bool(_ name: String) throws(TemplateProblem) -> Bool? {
        guard let value = members[name] else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .string("true"): return true
        case .string("false"): return false
        default: throw TemplateProblem(place(name), mustBe: "a boolean")
        }
    }

    /// Member `name` as a whole number, literal or resolved; nil when absent.
    func int(_ name: String, _ resolver: Resolver) throws(TemplateProblem) -> Int? {
        try resolved(name, resolver, as: "a whole number") { Int($0) }
    }

    private func place(_ name: String) -> String { path.isEmpty ? name : path + "." + name }
}

/// Why a part of `template.json` cannot be emulated, in one line: a property of another shape than SAM takes
/// (`Auth.AuthorizationScopes must be a list of strings, as SAM requires`) or a feature beyond the stack.
struct TemplateProblem: Error {
    let reason: String

    init(_ place: String, mustBe expected: String) {
        reason = "\(place) must be \(expected), as SAM requires"
    }

    init(reason: String) { self.reason = reason }
}

/// Runs `body`, which reads template objects, a problem it meets thrown as `refusal(reason)` (a `Failure` it throws
/// itself as it is).
func reading<T, Failure: Error>(_ refusal: (String) -> Failure, _ body: () throws -> T) throws(Failure) -> T {
    do {
        return try body()
    } catch let problem as TemplateProblem {
        throw refusal(problem.reason)
    } catch let failure as Failure {
        throw failure
    } catch {
        throw refusal("\(error)")  // what reads template objects throws problems only
    }
}
