/// Turns policy syntax into a layout document, node by node as Rust's formatter does — including the order in which
/// nodes take their comments, since a comment is placed by whichever node takes it first.
struct CedarLayoutBuilder {
    typealias Doc = CedarLayoutDoc
    private let indent = 2
    var comments: CedarComments

    init(comments: CedarComments) { self.comments = comments }

    // MARK: comments

    private func leading(_ lines: [String]) -> Doc {
        lines.isEmpty ? .empty : .hardLine + Doc.joined(lines.map(Doc.text), separator: .hardLine) + .hardLine
    }

    private func trailing(_ comment: String, else next: Doc) -> Doc {
        comment.isEmpty ? next : .space + .text(comment) + .hardLine
    }

    private func commented(_ doc: Doc, _ comment: CedarComments.Comment, then next: Doc = .empty) -> Doc {
        leading(comment.leading) + doc + trailing(comment.trailing, else: next)
    }

    private mutating func atStart(_ node: CedarSyntax) -> CedarComments.Comment { comments.take(node.first) }
    private mutating func atEnd(_ node: CedarSyntax) -> CedarComments.Comment { comments.take(node.last) }
    private mutating func afterEnd(_ node: CedarSyntax) -> CedarComments.Comment { comments.take(node.last + 1) }

    /// `first`, then each next one after `separator` (commented from the token after the previous) and `gap`.
    private mutating func separated(_ nodes: [CedarSyntax], by separator: String, gap: Doc) -> Doc {
        guard let first = nodes.first else { return .empty }
        var result = doc(first)
        for (previous, node) in zip(nodes, nodes.dropFirst()) {
            result = result + commented(.text(separator), afterEnd(previous)) + gap + doc(node)
        }
        return result
    }

    // MARK: nodes

    mutating func doc(_ node: CedarSyntax) -> Doc {
        switch node.kind {
        case .policy(let annotations, let effect, let scope, let conditions):
            return policy(node, annotations, effect, scope, conditions)
        case .annotation(let key, let value):
            let keyDoc = doc(key)
            let at = commented(.text("@"), atStart(node))
            guard let value else { return at + keyDoc + .hardLine }
            let open = commented(.text("("), afterEnd(key))
            let valueDoc = doc(value)
            return at + keyDoc + open + valueDoc + commented(.text(")"), atEnd(node), then: .hardLine)
        case .scopeVariable(let variable, let type, let constraint):
            return scopeVariable(node, variable, type, constraint)
        case .condition(let keyword, let body):
            return condition(node, keyword, body)
        case .ifThenElse(let condition, let then, let otherwise):
            let ifComment = atStart(node), thenComment = afterEnd(condition), elseComment = afterEnd(then)
            let parts = [("if", ifComment, condition), ("then", thenComment, then), ("else", elseComment, otherwise)]
            return Doc.joined(parts.map { word, comment, branch in
                commented(.text(word), comment) + (.line + doc(branch)).nested(indent)
            }, separator: .line).grouped()
        case .logical(let op, let operands):
            var result = Doc.empty
            for operand in operands.dropLast() {
                let opComment = afterEnd(operand)
                result = result + doc(operand) + .space + commented(.text(op), opComment, then: .line)
            }
            return result + doc(operands[operands.count - 1])
        case .relation(let left, let op, let right):
            let leftDoc = doc(left)
            return leftDoc + .space + commented(.text(op), afterEnd(left)) + .space + doc(right)
        case .has(let target, let field): return keywordRelation(target, "has", field)
        case .like(let target, let pattern): return keywordRelation(target, "like", pattern)
        case .isType(let target, let type, let container):
            let targetDoc = doc(target)
            let isWord = commented(.text("is"), afterEnd(target))
            let isDoc = targetDoc + .space + isWord + .space + doc(type).nested(indent)
            guard let container else { return isDoc.grouped() }
            let inDoc = commented(.text("in"), afterEnd(type))
            return (isDoc + .line + inDoc + .space + doc(container).nested(indent)).grouped()
        case .arithmetic(let head, let rest):
            var result = doc(head), previous = head
            for (op, operand) in rest {
                result = result + .space + commented(.text(op), afterEnd(previous)) + .line + doc(operand)
                previous = operand
            }
            return result.grouped()
        case .negation(let op, let count, let item):
            let ops = (node.first..<node.first + count).map { commented(.text(op), comments.take($0)) }
            return Doc.joined(ops, separator: .empty) + doc(item)
        case .member(let item, let accesses):
            let itemDoc = doc(item)
            return (itemDoc + Doc.joined(accesses.map { doc($0) }, separator: .softLine).nested(indent)).grouped()
        case .field(let name):
            return commented(.text("."), atStart(node)) + doc(name)
        case .call(let arguments):
            let open = commented(.text("("), atStart(node))
            let inner = arguments.isEmpty
                ? Doc.empty : (.softLine + separated(arguments, by: ",", gap: .line)).nested(indent) + .softLine
            return open + inner + commented(.text(")"), atEnd(node))
        case .index(let index):
            let open = commented(.text("["), atStart(node))
            let indexDoc = doc(index)
            return open + indexDoc + commented(.text("]"), atEnd(node))
        case .word(let text):
            return commented(.text(text), atStart(node))
        case .name(let path, let name):
            var result = doc(path[0])
            for (previous, part) in zip(path, path.dropFirst()) {
                result = result + commented(.text("::"), afterEnd(previous)) + doc(part)
            }
            return result + commented(.text("::"), afterEnd(path[path.count - 1])) + doc(name)
        case .entity(let type, let id):
            let typeDoc = doc(type)
            return typeDoc + commented(.text("::"), afterEnd(type)) + doc(id)
        case .parenthesized(let inner):
            let open = commented(.text("("), atStart(node))
            let innerDoc = doc(inner).nested(1)
            return (open + innerDoc + commented(.text(")"), atEnd(node))).grouped()
        case .list(let elements):
            let inner = separated(elements, by: ",", gap: .line)
            return bracketed(inner, node, "[", "]", nest: 1)
        case .record(let entries):
            let inner = entries.isEmpty
                ? Doc.empty : (.line + separated(entries, by: ",", gap: .line) + .line).grouped()
            return bracketed(inner, node, "{", "}", nest: indent)
        case .recordEntry(let key, let value):
            let keyDoc = doc(key), valueDoc = doc(value)
            return keyDoc + commented(.text(":"), afterEnd(key)) + .space + valueDoc
        }
    }

    private mutating func bracketed(
        _ inner: Doc, _ node: CedarSyntax, _ open: String, _ close: String, nest: Int
    ) -> Doc {
        let openDoc = commented(.text(open), atStart(node))
        return openDoc + inner.nested(nest) + commented(.text(close), atEnd(node))
    }

    private mutating func keywordRelation(_ target: CedarSyntax, _ keyword: String, _ operand: CedarSyntax) -> Doc {
        let targetDoc = doc(target)
        let keywordDoc = commented(.text(keyword), afterEnd(target))
        return (targetDoc + .line + keywordDoc + .line + doc(operand).nested(indent)).grouped()
    }

    private mutating func policy(
        _ node: CedarSyntax, _ annotations: [CedarSyntax], _ effect: CedarSyntax, _ scope: [CedarSyntax],
        _ conditions: [CedarSyntax]
    ) -> Doc {
        let annotationsDoc = Doc.joined(annotations.map { doc($0) }, separator: .empty)
        let effectLeading = comments.takeLeading(effect.first)
        let effectDoc = doc(effect)
        let variables = scope.map { doc($0) }
        let simple = scope.allSatisfy {
            if case .scopeVariable(_, nil, nil) = $0.kind { true } else { false }
        }
        let gap: Doc = simple ? .space : .hardLine
        var variablesDoc = variables[0]
        for index in 1..<scope.count {
            let comma = commented(.text(","), afterEnd(scope[index - 1]), then: gap)
            variablesDoc = variablesDoc + comma + variables[index]
        }
        variablesDoc = simple
            ? variablesDoc.nested(indent).grouped() : (.hardLine + variablesDoc).nested(indent) + .hardLine
        let conditionsDoc = Doc.joined(conditions.map { doc($0) }, separator: .hardLine)
        let open = commented(.text("("), afterEnd(effect))
        let afterClose: Doc = conditions.isEmpty ? .empty : .hardLine
        let close = commented(.text(")"), afterEnd(scope[scope.count - 1]), then: afterClose)
        return annotationsDoc + leading(effectLeading) + (effectDoc + .line + open).grouped() + variablesDoc + close
            + conditionsDoc + commented(.text(";"), atEnd(node))
    }

    private mutating func scopeVariable(
        _ node: CedarSyntax, _ variable: CedarSyntax, _ type: CedarSyntax?, _ constraint: (op: String, CedarSyntax)?
    ) -> Doc {
        let start = atStart(node)
        let variableDoc = doc(variable)
        var isDoc = Doc.empty
        if let type {
            let keyword = (.line + commented(.text("is"), afterEnd(variable))).grouped()
            let typeDoc = doc(type)
            isDoc = (keyword + .line + commented(typeDoc, atStart(type))).nested(indent).grouped()
        }
        guard let (op, value) = constraint else { return commented(variableDoc, start) + isDoc }
        let opDoc = commented(.text(op), afterEnd(type ?? variable))
        let head = (variableDoc + trailing(start.trailing, else: .empty) + isDoc + .line + opDoc).grouped()
        return leading(start.leading) + (head + (.line + doc(value)).nested(indent)).grouped()
    }

    private mutating func condition(_ node: CedarSyntax, _ keyword: CedarSyntax, _ body: CedarSyntax?) -> Doc {
        let brace = afterEnd(keyword), closing = atEnd(node), keywordComment = atStart(keyword)
        let closeDoc = commented(.text("}"), closing)
        let keywordDoc = doc(keyword)
        let head = keywordDoc + trailing(keywordComment.trailing, else: .line) + leading(brace.leading)
        guard let body else {
            return leading(keywordComment.leading)
                + (head + (.text("{") + trailing(brace.trailing, else: .line) + closeDoc).grouped()).grouped()
        }
        let bodyLeading = comments.takeLeading(body.first)
        let bodyDoc = doc(body)
        let inner = (trailing(brace.trailing, else: .line) + leading(bodyLeading) + bodyDoc.grouped()).nested(indent)
        return leading(keywordComment.leading) + (head + .text("{") + (inner + .line + closeDoc).grouped()).grouped()
    }
}
