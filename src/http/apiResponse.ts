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

/** `{ id }` of a deleted record: what every DELETE answers. */
export const deletedSchema = z.object({ id: z.number().int() });

/** An ISO 8601 timestamp as presenters write it (`Date#toISOString`). */
export const isoTime = () => z.iso.datetime();
