import { z } from "zod";

/**
 * What an API endpoint answers on success, declared beside it in its table so the OpenAPI
 * document (http/openapi.ts) can describe it and a test can check the example against the
 * schema. `schema` describes the envelope's `data` (for a list: one item); `example` is typed by
 * the schema's input, so an example that drifts from its schema fails to compile.
 */
export interface ResponseSpec {
  /** Success status (200 unless given: 201 for creates). */
  readonly status: number;
  /** The envelope's `data`; for a list endpoint, the schema of one item. */
  readonly schema: z.ZodType;
  readonly example: unknown;
  /** A list: `data` is an array of `schema`, with `nextCursor` beside it (http/pagination.ts). */
  readonly list: boolean;
  /** Not JSON (e.g. "text/csv"): `schema` describes the body as a string. */
  readonly contentType?: string;
  /** The body is the schema itself, not wrapped in the envelope (the OpenAPI document). */
  readonly bare?: boolean;
  readonly description?: string;
}

interface ResponseOptions {
  status?: number;
  description?: string;
}

/** A JSON answer whose envelope's `data` is `schema`, with a typed example. */
export function responds<S extends z.ZodType>(
  schema: S,
  example: z.input<S>,
  options: ResponseOptions = {},
): ResponseSpec {
  return {
    status: options.status ?? 200,
    schema,
    example,
    list: false,
    description: options.description,
  };
}

/** A list endpoint: `data` is an array of `item`, paged by cursor (`nextCursor` beside it). */
export function respondsList<S extends z.ZodType>(
  item: S,
  example: z.input<S>[],
  options: Omit<ResponseOptions, "status"> = {},
): ResponseSpec {
  return { status: 200, schema: item, example, list: true, description: options.description };
}

/** A body that is not JSON (a CSV download): documented as a string of that type. */
export function respondsFile(
  contentType: string,
  example: string,
  options: ResponseOptions = {},
): ResponseSpec {
  return {
    status: options.status ?? 200,
    schema: z.string(),
    example,
    list: false,
    contentType,
    description: options.description,
  };
}

/** A JSON body sent as it is, outside the envelope (documents other tools read). */
export function respondsBare<S extends z.ZodType>(
  schema: S,
  example: z.input<S>,
  options: ResponseOptions = {},
): ResponseSpec {
  return { ...responds(schema, example, options), bare: true };
}

const schemaNames = new Map<z.ZodType, string>();

/**
 * Names a response schema: the OpenAPI document lists it once under components.schemas (and the
 * reference page under "Schemas") and every operation that answers it refers to it.
 */
export function named<S extends z.ZodType>(name: string, schema: S): S {
  schemaNames.set(schema, name);
  return schema;
}

export function nameOf(schema: z.ZodType): string | undefined {
  return schemaNames.get(schema);
}

/** `{ id }` of a deleted record: what every DELETE answers. */
export const deletedSchema = named("Deleted", z.strictObject({ id: z.number().int() }));

/** An ISO 8601 timestamp as presenters write it (`Date#toISOString`). */
export const isoTime = () => z.iso.datetime();
