import { describe, expect, it } from "vitest";
import { serializeSorted } from "../src/properties.js";

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
});
