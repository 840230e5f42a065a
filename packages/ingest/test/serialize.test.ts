import { Utf8Writer } from "@mpkit/storage";
import { describe, expect, it } from "vitest";
import {
  compareCodePoints,
  JsonText,
  serializeEntries,
  serializeSorted,
  writeEntries,
} from "../src/properties.js";

describe("serializeSorted", () => {
  it("sorts by code point and matches JSON.stringify value by value", () => {
    const props = { b: 1, $a: 'x"y\n', "10": true, a: null, "😀": [1, { z: 2 }], é: -0, big: 1e21, "": 1.5 };
    const text = serializeSorted(props);
    // Integer-like keys ("10") sort as text, not first as JavaScript enumerates them.
    expect(text).toBe(`{"":1.5,"$a":"x\\"y\\n","10":true,"a":null,"b":1,"big":1e+21,"é":0,"😀":[1,{"z":2}]}`);
    expect(JSON.parse(text)).toEqual({ ...props, é: 0 });
    expect(serializeSorted({})).toBe("{}");
  });

  it("gives the same text for the same keys in a different order (shape cache)", () => {
    expect(serializeSorted({ x: 1, y: "2" })).toBe(serializeSorted({ y: "2", x: 1 }));
    expect(serializeSorted({ x: 1, y: "2" })).toBe('{"x":1,"y":"2"}');
  });

  it("matches a naive sort-then-JSON.stringify on random objects, shapes and strings", () => {
    // Naive reference: sort the keys by code point, then let JSON.stringify do all the escaping.
    const reference = (o: Record<string, unknown>) => {
      const keys = Object.keys(o).sort(compareCodePoints);
      return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(o[k]) ?? "null"}`).join(",")}}`;
    };
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const alphabet = [
      "a",
      "b",
      "$",
      '"',
      "\\",
      "\n",
      "\u0000",
      "\u001f",
      "é",
      "😀",
      "\ud800",
      "\udfff",
      "/",
      " ",
      "€",
      "\u2028",
      "\u007f",
      "\u0080",
    ];
    const str = (max: number) => {
      let out = "";
      for (let i = Math.floor(next() * max); i > 0; i--)
        out += alphabet[Math.floor(next() * alphabet.length)];
      return out;
    };
    const value = (): unknown => {
      const r = next();
      if (r < 0.5) return str(8);
      if (r < 0.7) return Math.round((next() - 0.5) * 1e6) / 100;
      if (r < 0.8) return next() < 0.5;
      if (r < 0.9) return null;
      return [str(3), { [str(3)]: str(3) }];
    };
    for (let i = 0; i < 5000; i++) {
      const o: Record<string, unknown> = {};
      // Few distinct key sets, often prefixes of one another, to exercise the shape trie.
      const n = Math.floor(next() * 6);
      for (let k = 0; k < n; k++) o[i % 3 === 0 ? str(4) : `k${Math.floor(next() * 4)}`] = value();
      expect(serializeSorted(o)).toBe(reference(o));
      // The byte writer the /import path uses gives the same text as UTF-8, appended to what is there.
      const out = new Utf8Writer(16);
      out.string("x");
      writeEntries(out, Object.keys(o), Object.values(o));
      expect(Buffer.from(out.view()).equals(Buffer.from(`x${reference(o)}`))).toBe(true);
    }
  });

  it("writes numbers, pre-rendered values and every kind of value as the string serializer does", () => {
    const values: unknown[] = [
      0,
      -0,
      7,
      -5,
      1_724_000_000_123,
      2 ** 53 - 1,
      2 ** 53,
      -(2 ** 53),
      1e21,
      0.1,
      -1.5e-7,
      123.456,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      true,
      false,
      null,
      undefined,
      "",
      "€uro\u2028",
      'a"b',
      [1, "x", null],
      { nested: { deep: ["é"] } },
      new JsonText('"pre-rendered"'),
      new JsonText("1724000000000"),
    ];
    const keys = values.map((_, i) => `k${String(i).padStart(2, "0")}`);
    const out = new Utf8Writer(4);
    writeEntries(out, keys, values);
    const text = serializeEntries(keys, values);
    expect(Buffer.from(out.view()).toString("utf8")).toBe(text);
    expect(JSON.parse(text)).toMatchObject({ k01: 0, k12: null, k23: "pre-rendered", k24: 1724000000000 });
    const empty = new Utf8Writer();
    writeEntries(empty, [], []);
    expect(Buffer.from(empty.view()).toString()).toBe("{}");
  });
});
