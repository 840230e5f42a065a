import { createClient, type IngestResult, type MixpanelClient } from "@mpkit/connector";
import { describe, expect, expectTypeOf, it } from "vitest";

describe("client types come from the catalog", () => {
  it("types inputs and results per action", () => {
    const client: MixpanelClient = createClient({ fetch: async () => new Response("{}") });
    expectTypeOf(client.segmentation)
      .parameter(0)
      .toMatchTypeOf<{ event: string; from_date: string; to_date: string }>();
    expectTypeOf(client.segmentation).parameter(0).not.toHaveProperty("bogus");
    expectTypeOf(client.trackEvents).returns.resolves.toEqualTypeOf<IngestResult>();
    expectTypeOf(client.queryRetention)
      .parameter(0)
      .toHaveProperty("retention_type")
      .toEqualTypeOf<"birth" | "compounded" | undefined>();
    // @ts-expect-error event is required
    void (() => client.segmentation({ from_date: "2024-01-01", to_date: "2024-01-31" }));
    // @ts-expect-error unit must be one of the enum values
    void (() => client.segmentation({ event: "a", from_date: "x", to_date: "y", unit: "year" }));
    // Actions without required inputs take no argument.
    void (() => client.listSavedFunnels());
    expect(typeof client.segmentation).toBe("function");
  });
});
