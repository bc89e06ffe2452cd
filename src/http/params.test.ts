import { z } from "zod";
import { endpoints } from "../routes";
import type { Endpoint } from "./endpoint";
import { checkEndpoints } from "./mount";
import { idField, idParams, parseRecordId, selectId } from "./params";

const handler = () => undefined;
const notIds = ["0x10", "0o20", "0b10000", "1e1", "16.0", " 16", "+16", "016", "-16", "", "16abc"];

describe("one rule for record ids", () => {
  it("reads decimal digits (or a JSON whole number) and nothing else", () => {
    expect(parseRecordId("16")).toBe(16);
    expect(parseRecordId(16)).toBe(16);
    for (const text of notIds) expect(parseRecordId(text)).toBeNull();
    for (const value of [0, -1, 1.5, Number.NaN, 1e15, null, undefined, [16], { id: 16 }])
      expect(parseRecordId(value)).toBeNull();
  });

  it("paths, query strings and forms share it", () => {
    const path = idParams("customerId");
    const form = z.object({ ownerId: idField("Choose a team member.").optional() });
    expect(path.safeParse({ customerId: "16" }).data).toEqual({ customerId: 16 });
    expect(form.safeParse({ ownerId: "16" }).data).toEqual({ ownerId: 16 });
    expect(form.safeParse({}).data).toEqual({});
    for (const text of notIds) {
      expect(path.safeParse({ customerId: text }).success).toBe(false);
      const parsed = form.safeParse({ ownerId: text });
      expect(parsed.error?.issues).toEqual([
        expect.objectContaining({ path: ["ownerId"], message: "Choose a team member." }),
      ]);
    }
  });

  it("an endpoint whose :…Id parameter is not read as a record id refuses to mount", () => {
    const loose = {
      method: "get",
      path: "/reports/:reportId/rows/:rowId",
      auth: "page",
      permission: "customers.view",
      params: z.object({ reportId: z.coerce.number(), rowId: idParams("rowId").shape.rowId }),
      handler,
    } as unknown as Endpoint;
    const bare = { ...loose, path: "/charts/:chartId", params: undefined } as unknown as Endpoint;
    expect(() => checkEndpoints([loose, bare])).toThrow(
      /GET \/reports\/:reportId\/rows\/:rowId: :reportId must be read as a record id[^]*GET \/charts\/:chartId: :chartId must be read as a record id/,
    );
  });

  /** The object schema inside a schema (through transforms and pipes), when there is one. */
  function shapeOf(schema: unknown): Record<string, z.ZodType> | null {
    if (schema instanceof z.ZodObject) return schema.shape as Record<string, z.ZodType>;
    if (schema instanceof z.ZodPipe) return shapeOf(schema.in);
    return null;
  }

  it("every id field of every endpoint's query and body refuses hex, exponents and signs", () => {
    const checked: string[] = [];
    const misread: string[] = [];
    for (const endpoint of endpoints) {
      for (const schema of [endpoint.query, endpoint.body]) {
        // Schemas built per caller are left to their own tests; the static ones are walked.
        const shape = typeof schema === "function" ? null : shapeOf(schema);
        for (const [name, field] of Object.entries(shape ?? {})) {
          if (!/[a-z]Ids?$/.test(name)) continue;
          checked.push(`${endpoint.method.toUpperCase()} ${endpoint.path} ${name}`);
          for (const text of ["0x10", "1e1", "+16"]) {
            const parsed = field.safeParse(name.endsWith("Ids") ? [text] : text);
            const read = [parsed.success ? parsed.data : undefined].flat();
            misread.push(...(read.some((v) => v === 16 || v === 10) ? [`${name}=${text}`] : []));
          }
        }
      }
    }
    expect(misread).toEqual([]);
    // The walk reaches the id fields of the customer filter, the merge form and the task filter.
    expect(checked).toEqual(
      expect.arrayContaining([
        "GET /customers/export.csv ownerId",
        "GET /customers/filter-options ownerId",
        "POST /customers/:customerId/merge duplicateId",
        "GET /tasks assigneeId",
      ]),
    );
  });
});

describe("a select's id in a form", () => {
  it("reads empty as none, absent as the default, and a positive id; refuses anything else", () => {
    const field = selectId("Choose a member.");
    expect(field.parse(undefined)).toBeUndefined();
    expect(field.parse("")).toBeNull();
    expect(field.parse(" 42 ")).toBe(42);
    for (const text of ["0", "0x10", "1e1", "-3", "12345678901", "abc"])
      expect(field.safeParse(text).error?.issues[0]?.message).toBe("Choose a member.");
  });
});
