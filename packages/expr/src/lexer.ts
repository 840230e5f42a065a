import { syntaxError } from "./errors.js";

export type TokenKind = "string" | "number" | "ident" | "punct" | "eof";

export interface Token {
  readonly kind: TokenKind;
  /** For strings: the decoded value; for identifiers: as written; for punctuation: the operator. */
  readonly text: string;
  readonly value?: number;
  readonly pos: number;
}

// Longest first so `>=` wins over `>`.
const PUNCT = [
  "==",
  "!=",
  ">=",
  "<=",
  "&&",
  "||",
  "(",
  ")",
  "[",
  "]",
  ",",
  "+",
  "-",
  "*",
  "/",
  "%",
  ">",
  "<",
  "=",
  "!",
];

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", "0": "\0" };

/** Describes a token for error messages. */
export function describe(token: Token): string {
  switch (token.kind) {
    case "eof":
      return "end of input";
    case "string":
      return `string ${JSON.stringify(token.text)}`;
    case "number":
      return `number ${token.text}`;
    default:
      return `'${token.text}'`;
  }
}

/**
 * Splits an expression into tokens. Strings take either quote style with backslash escapes
 * (Mixpanel's examples use double quotes; single quotes appear in hand-written queries).
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '"' || ch === "'") {
      i++;
      let text = "";
      for (;;) {
        if (i >= source.length) throw syntaxError(source, i, [`closing ${ch}`], "end of input");
        const c = source[i] as string;
        if (c === ch) {
          i++;
          break;
        }
        if (c === "\\") {
          const e = source[i + 1];
          if (e === undefined) throw syntaxError(source, i + 1, ["an escaped character"], "end of input");
          if (e === "u") {
            const hex = source.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex))
              throw syntaxError(source, i + 2, ["4 hex digits"], JSON.stringify(hex));
            text += String.fromCharCode(Number.parseInt(hex, 16));
            i += 6;
          } else {
            // Unknown escapes stand for the character itself (`\"`, `\'`, `\\`, `\/`).
            text += ESCAPES[e] ?? e;
            i += 2;
          }
          continue;
        }
        text += c;
        i++;
      }
      tokens.push({ kind: "string", text, pos: start });
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i));
    if (num) {
      const value = Number(num[0]);
      // `1e999` would become Infinity, which neither JSON nor SQL literals can carry.
      if (!Number.isFinite(value)) throw syntaxError(source, start, ["a finite number"], num[0]);
      i += num[0].length;
      tokens.push({ kind: "number", text: num[0], value, pos: start });
      continue;
    }
    const ident = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(i));
    if (ident) {
      i += ident[0].length;
      tokens.push({ kind: "ident", text: ident[0], pos: start });
      continue;
    }
    const p = PUNCT.find((op) => source.startsWith(op, i));
    if (p === undefined) throw syntaxError(source, i, ["an operator, a value or a property"], `'${ch}'`);
    i += p.length;
    tokens.push({ kind: "punct", text: p, pos: start });
  }
  tokens.push({ kind: "eof", text: "", pos: source.length });
  return tokens;
}
