/**
 * SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2): a tokenizer and a recursive-descent parser with the
 * RFC's precedence (not > and > or, parentheses). Evaluation is in filter-evaluate.ts.
 *
 * Pure: text in, an AST or a typed error out. Anything the grammar does not allow is `invalid_filter` /
 * `invalid_path` with a message an admin can act on — never a silent empty result.
 */

export type CompareOperator = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";
export type LiteralValue = string | number | boolean | null;

/** `[schema URN ":"] attribute ["." subAttribute]`; attribute names are case-insensitive (RFC 7643 §2.1). */
export interface AttributePath {
  schema?: string;
  attribute: string;
  subAttribute?: string;
}

export type Filter =
  | { kind: "and" | "or"; left: Filter; right: Filter }
  | { kind: "not"; filter: Filter }
  | { kind: "present"; path: AttributePath }
  | { kind: "compare"; path: AttributePath; operator: CompareOperator; value: LiteralValue }
  /** `emails[type eq "work"]`: true when some element of the multi-valued attribute matches the inner filter. */
  | { kind: "valuePath"; path: AttributePath; filter: Filter };

/** A PATCH target: `attrPath`, or `valuePath[subAttr]` such as `members[value eq "2819c223"]` or `emails[type eq "work"].value`. */
export interface PatchPath {
  path: AttributePath;
  filter?: Filter;
  subAttribute?: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; detail: string };

/** Longest filter we parse; far above anything an IdP sends, low enough that parsing stays trivially cheap. */
export const MAX_FILTER_LENGTH = 4096;
const MAX_NESTING = 32;

type Token =
  | { type: "word"; text: string; at: number }
  | { type: "string"; value: string; at: number }
  | { type: "number"; value: number; at: number }
  | { type: "(" | ")" | "[" | "]"; at: number };

const COMPARE_OPERATORS = new Set<string>(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);
const ATTRIBUTE_NAME = /^\$?[A-Za-z][A-Za-z0-9_-]*$/;
const WORD_CHAR = /[A-Za-z0-9_:.$\-]/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;

class FilterSyntaxError extends Error {}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === " " || char === "\t" || char === "\n" || char === "\r") {
      i++;
    } else if (char === "(" || char === ")" || char === "[" || char === "]") {
      tokens.push({ type: char, at: i });
      i++;
    } else if (char === '"') {
      // JSON string rules (RFC 7644 §3.4.2.2: "string" is a JSON string).
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      if (end >= text.length) throw new FilterSyntaxError(`unterminated string starting at character ${i + 1}`);
      let value: unknown;
      try {
        value = JSON.parse(text.slice(i, end + 1));
      } catch {
        throw new FilterSyntaxError(`invalid escape in string at character ${i + 1}`);
      }
      tokens.push({ type: "string", value: value as string, at: i });
      i = end + 1;
    } else if (char === "-" || (char >= "0" && char <= "9")) {
      const match = NUMBER.exec(text.slice(i));
      if (!match) throw new FilterSyntaxError(`unexpected "${char}" at character ${i + 1}`);
      tokens.push({ type: "number", value: Number(match[0]), at: i });
      i += match[0].length;
    } else if (WORD_CHAR.test(char)) {
      let end = i;
      while (end < text.length && WORD_CHAR.test(text[end]!)) end++;
      tokens.push({ type: "word", text: text.slice(i, end), at: i });
      i = end;
    } else {
      throw new FilterSyntaxError(`unexpected "${char}" at character ${i + 1}`);
    }
  }
  return tokens;
}

/** Parses `urn:…:User:manager.value`, `name.givenName`, `userName`. */
function parseAttributePath(text: string): AttributePath {
  let schema: string | undefined;
  let rest = text;
  if (/^urn:/i.test(text)) {
    const cut = text.lastIndexOf(":");
    schema = text.slice(0, cut);
    rest = text.slice(cut + 1);
    if (!schema.includes(":")) throw new FilterSyntaxError(`"${text}" is not a valid attribute path`);
  }
  const parts = rest.split(".");
  if (parts.length > 2 || !parts.every((part) => ATTRIBUTE_NAME.test(part))) {
    throw new FilterSyntaxError(`"${text}" is not a valid attribute path`);
  }
  const path: AttributePath = { attribute: parts[0]! };
  if (schema) path.schema = schema;
  if (parts[1]) path.subAttribute = parts[1];
  return path;
}

class Parser {
  private position = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  done(): boolean {
    return this.position >= this.tokens.length;
  }

  peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position++];
    if (!token) throw new FilterSyntaxError("the filter ends too early");
    return token;
  }

  private peekKeyword(keyword: string): boolean {
    const token = this.peek();
    return token?.type === "word" && token.text.toLowerCase() === keyword;
  }

  private expect(type: Token["type"]): Token {
    const token = this.next();
    if (token.type !== type) throw new FilterSyntaxError(`expected "${type}" at character ${token.at + 1}`);
    return token;
  }

  parseOr(): Filter {
    let left = this.parseAnd();
    while (this.peekKeyword("or")) {
      this.position++;
      left = { kind: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Filter {
    let left = this.parseUnary();
    while (this.peekKeyword("and")) {
      this.position++;
      left = { kind: "and", left, right: this.parseUnary() };
    }
    return left;
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_NESTING) throw new FilterSyntaxError(`the filter nests deeper than ${MAX_NESTING} levels`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private parseUnary(): Filter {
    if (this.peekKeyword("not")) {
      this.position++;
      this.expect("(");
      const filter = this.nested(() => this.parseOr());
      this.expect(")");
      return { kind: "not", filter };
    }
    if (this.peek()?.type === "(") {
      this.position++;
      const filter = this.nested(() => this.parseOr());
      this.expect(")");
      return filter;
    }
    return this.parseAttributeExpression();
  }

  private parseAttributeExpression(): Filter {
    const token = this.next();
    if (token.type !== "word") throw new FilterSyntaxError(`expected an attribute name at character ${token.at + 1}`);
    const path = parseAttributePath(token.text);
    if (this.peek()?.type === "[") {
      this.position++;
      if (path.subAttribute) throw new FilterSyntaxError(`"${token.text}[" is not a valid value path`);
      const filter = this.nested(() => this.parseOr());
      this.expect("]");
      // Beyond the RFC grammar, as IdP admins write it: `emails[type eq "work"].value eq "x"` means
      // `emails[type eq "work" and value eq "x"]` — the same element must match both.
      const after = this.peek();
      if (after?.type === "word" && after.text.startsWith(".")) {
        this.position++;
        const sub = after.text.slice(1);
        if (!ATTRIBUTE_NAME.test(sub)) throw new FilterSyntaxError(`"${after.text}" is not a valid sub-attribute`);
        const condition = this.parseComparison({ attribute: sub });
        return { kind: "valuePath", path, filter: { kind: "and", left: filter, right: condition } };
      }
      return { kind: "valuePath", path, filter };
    }
    return this.parseComparison(path);
  }

  /** `pr`, or a comparison operator and its value, after an attribute path. */
  private parseComparison(path: AttributePath): Filter {
    const operatorToken = this.next();
    const operator = operatorToken.type === "word" ? operatorToken.text.toLowerCase() : "";
    if (operator === "pr") return { kind: "present", path };
    if (!COMPARE_OPERATORS.has(operator)) {
      throw new FilterSyntaxError(`expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) at character ${operatorToken.at + 1}`);
    }
    return { kind: "compare", path, operator: operator as CompareOperator, value: this.parseLiteral() };
  }

  private parseLiteral(): LiteralValue {
    const token = this.next();
    if (token.type === "string" || token.type === "number") return token.value;
    if (token.type === "word") {
      const word = token.text.toLowerCase();
      if (word === "true") return true;
      if (word === "false") return false;
      if (word === "null") return null;
    }
    throw new FilterSyntaxError(`expected a value (a "quoted string", number, true, false or null) at character ${token.at + 1}`);
  }

  /** `valuePath` followed by an optional `.subAttr`, as PATCH paths allow. */
  parsePatchPath(): PatchPath {
    const token = this.next();
    if (token.type !== "word") throw new FilterSyntaxError("expected an attribute path");
    const path = parseAttributePath(token.text);
    if (this.peek()?.type !== "[") return { path };
    if (path.subAttribute) throw new FilterSyntaxError(`"${token.text}[" is not a valid value path`);
    this.position++;
    const filter = this.nested(() => this.parseOr());
    this.expect("]");
    const after = this.peek();
    if (!after) return { path, filter };
    if (after.type !== "word" || !/^\.[A-Za-z$][A-Za-z0-9_-]*$/.test(after.text)) {
      throw new FilterSyntaxError(`unexpected text after "]" at character ${after.at + 1}`);
    }
    this.position++;
    return { path, filter, subAttribute: after.text.slice(1) };
  }
}

function runParser<T>(text: string, what: string, parse: (parser: Parser) => T): ParseResult<T> {
  if (text.length > MAX_FILTER_LENGTH) return { ok: false, detail: `The ${what} is longer than ${MAX_FILTER_LENGTH} characters.` };
  try {
    const parser = new Parser(tokenize(text));
    if (parser.done()) return { ok: false, detail: `The ${what} is empty.` };
    const value = parse(parser);
    const extra = parser.peek();
    if (extra) return { ok: false, detail: `The ${what} has unexpected text at character ${extra.at + 1}.` };
    return { ok: true, value };
  } catch (error) {
    if (error instanceof FilterSyntaxError) return { ok: false, detail: `The ${what} "${text}" is not valid: ${error.message}.` };
    throw error;
  }
}

export function parseFilter(text: string): ParseResult<Filter> {
  return runParser(text, "filter", (parser) => parser.parseOr());
}

export function parsePatchPath(text: string): ParseResult<PatchPath> {
  return runParser(text, "path", (parser) => parser.parsePatchPath());
}
