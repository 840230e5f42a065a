import { describe, expect, it } from "vitest";
import { EventBatchBuilder, PROPERTIES_SEPARATOR, packEvents, Utf8Writer } from "../src/index.js";

/** Seeded strings over an alphabet with every UTF-8 length, paired and lone surrogates, and controls. */
function randomStrings(seed: number, count: number): string[] {
  const units = [
    "a",
    "~",
    "\u0000",
    "\u001f",
    "é",
    "\u07ff",
    "\u0800",
    "€",
    "\uffff",
    "😀",
    "\ud800",
    "\udfff",
  ];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = "";
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    for (let n = seed % (i % 50 === 0 ? 3000 : 40); n > 0; n--) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      s += units[seed % units.length];
    }
    out.push(s);
  }
  return out;
}

describe("Utf8Writer", () => {
  it("encodes like Buffer.from, lone surrogates as U+FFFD, across buffer growth", () => {
    const strings = randomStrings(99, 2000);
    const out = new Utf8Writer(16);
    for (const s of strings) {
      out.string(s);
      out.byte(0x2c);
    }
    expect(Buffer.from(out.view()).equals(Buffer.from(strings.map((s) => `${s},`).join("")))).toBe(true);
  });
});

describe("EventBatchBuilder", () => {
  it("packs records and directly written properties into one separated UTF-8 column", () => {
    const props = randomStrings(7, 300).map((s, i) => JSON.stringify({ i, s }));
    const records = props.map((propertiesJson, i) => ({
      event: `e${i}`,
      timeMs: 1_700_000_000_000 + i,
      distinctId: `u${i % 7}`,
      dedupeKey: BigInt(i) - 150n,
      propertiesJson,
    }));
    const packed = packEvents(records);
    const b = new EventBatchBuilder(1);
    for (const r of records)
      b.addEvent(r.event, r.timeMs, r.distinctId, r.dedupeKey).string(r.propertiesJson);
    const built = b.finish();
    expect({ ...built, keys: [...built.keys] }).toEqual({ ...packed, keys: [...packed.keys] });
    const texts = Buffer.from(packed.properties).toString("utf8").split(PROPERTIES_SEPARATOR);
    expect(texts.map((t) => JSON.parse(t))).toEqual(props.map((p) => JSON.parse(p)));
    expect(packed.count).toBe(300);
    expect(packEvents([]).properties.byteLength).toBe(0);
  });
});
