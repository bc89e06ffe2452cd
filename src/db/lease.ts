import { randomUUID } from "node:crypto";
import { QueryTypes } from "sequelize";
import type { Deps } from "../deps";
import { changedRows, type SqlValue } from "./bulk";
import { fromSqlTime, sqlTime } from "./sqlTime";

/**
 * One holder of a row's work at a time, across processes: imports today, campaign sends and
 * social posts next. The table has `lease_owner` (VARCHAR(40) NULL), `lease_expires_at`
 * (DATETIME(3) NULL: milliseconds) and `lease_epoch` (INT, 0).
 *
 * A holder claims the row with a lease that it renews while it works. One that dies (SIGKILL,
 * power loss) stops renewing, and the row can be claimed again once the lease has run out. Each
 * claim adds one to the epoch, so the jobs of every holder can carry ids of their own. Writes that
 * must not happen twice are made conditional on `lease_owner = <owner>`, so even two holders
 * cannot both commit them. Time comes from `deps.clock`, compared to the millisecond.
 */
export type LeaseDeps = Pick<Deps, "sequelize" | "clock" | "logger">;

/** A leased row. Table and column names come from code, never from input. */
export interface LeaseTarget {
  table: string;
  id: number;
  /** Conditions every statement carries (on a tenant table: `business_id`). */
  scope?: Record<string, SqlValue>;
}

export interface Lease {
  owner: string;
  epoch: number;
  expiresAt: Date;
}

/** Raw SQL for a column set by a claim or a release; `:now` is the statement's time. */
export class RawSql {
  constructor(readonly sql: string) {}
}
export const rawSql = (sql: string) => new RawSql(sql);

export type LeaseClaim =
  | { kind: "claimed"; lease: Lease }
  /** Another holder's lease has not run out. */
  | { kind: "held"; lease: Lease }
  /** The row is gone or does not meet the claim's conditions (its work is done). */
  | { kind: "idle" };

export interface ClaimOptions {
  durationMs: number;
  /** Conditions the row must meet to be claimed, e.g. `{ status: ["queued", "running"] }`. */
  when?: Record<string, SqlValue | readonly SqlValue[]>;
  /** Columns the claim sets in the same statement. */
  set?: Record<string, SqlValue | RawSql>;
}

/**
 * A lease that ran out this long ago is taken over. Stored and compared to the millisecond, so a
 * takeover scheduled this long after the end of a lease finds it expired (on the same clock).
 */
export const takeoverMarginMs = 100;

/** When to look again at a lease held by someone else: just after it runs out, or now. */
export function takeoverTime(expiresAt: Date, now: Date): Date {
  return new Date(Math.max(expiresAt.getTime() + takeoverMarginMs, now.getTime()));
}

const identifier = /^[a-z_][a-z0-9_]*$/;

function name(column: string): string {
  if (!identifier.test(column)) throw new Error(`Not a column name: "${column}"`);
  return column;
}

/** Renders conditions and assignments with named replacements (values as time-safe SQL values). */
class Statement {
  readonly replacements: Record<string, unknown> = {};
  private next = 0;

  constructor(private readonly deps: LeaseDeps) {}

  value(value: SqlValue | readonly SqlValue[]): string {
    const key = `p${this.next++}`;
    const plain = (v: SqlValue) => (v instanceof Date ? sqlTime(this.deps.sequelize, v) : v);
    this.replacements[key] = Array.isArray(value) ? value.map(plain) : plain(value as SqlValue);
    return Array.isArray(value) ? `(:${key})` : `:${key}`;
  }

  conditions(values: Record<string, SqlValue | readonly SqlValue[]> = {}): string {
    return Object.entries(values)
      .map(([column, value]) => {
        if (value === null) return ` AND ${name(column)} IS NULL`;
        return ` AND ${name(column)} ${Array.isArray(value) ? "IN" : "="} ${this.value(value)}`;
      })
      .join("");
  }

  assignments(values: Record<string, SqlValue | RawSql> = {}): string {
    return Object.entries(values)
      .map(([column, value]) => {
        const sql = value instanceof RawSql ? value.sql : this.value(value);
        return `, ${name(column)} = ${sql}`;
      })
      .join("");
  }
}

/** The row's lease, and whether it meets `when`; null when the row is gone (or out of scope). */
async function readLease(deps: LeaseDeps, target: LeaseTarget, when: ClaimOptions["when"]) {
  const statement = new Statement(deps);
  const eligible = statement.conditions(when);
  const scope = statement.conditions(target.scope);
  const rows = await deps.sequelize.query<Record<string, unknown>>(
    `SELECT lease_owner, lease_expires_at, lease_epoch,
       CASE WHEN 1 = 1${eligible} THEN 1 ELSE 0 END AS eligible
     FROM ${name(target.table)} WHERE id = :id${scope}`,
    { type: QueryTypes.SELECT, replacements: { ...statement.replacements, id: target.id } },
  );
  const row = rows[0];
  if (!row) return null;
  return {
    owner: (row.lease_owner as string | null) ?? null,
    epoch: Number(row.lease_epoch),
    expiresAt: fromSqlTime(row.lease_expires_at),
    eligible: Number(row.eligible) === 1,
  };
}

/** Claims the row when nobody holds an unexpired lease on it and it meets `when`. */
export async function claimLease(
  deps: LeaseDeps,
  target: LeaseTarget,
  options: ClaimOptions,
): Promise<LeaseClaim> {
  const now = deps.clock.now();
  const owner = randomUUID();
  const statement = new Statement(deps);
  const assignments = statement.assignments(options.set);
  const conditions = statement.conditions({ ...target.scope, ...options.when });
  const claimed = await changedRows(
    deps.sequelize,
    `UPDATE ${name(target.table)} SET lease_owner = :owner, lease_expires_at = :until,
       lease_epoch = lease_epoch + 1${assignments}
     WHERE id = :id${conditions}
       AND (lease_owner IS NULL OR lease_expires_at IS NULL OR lease_expires_at < :now)`,
    {
      ...statement.replacements,
      id: target.id,
      owner,
      now: sqlTime(deps.sequelize, now),
      until: sqlTime(deps.sequelize, new Date(now.getTime() + options.durationMs)),
    },
  );
  const state = await readLease(deps, target, options.when);
  if (!state?.owner || !state.expiresAt) return { kind: "idle" };
  const lease = { owner: state.owner, epoch: state.epoch, expiresAt: state.expiresAt };
  if (claimed === 1 && state.owner === owner) return { kind: "claimed", lease };
  // Released in between, or its work is no longer owed: nothing to wait for.
  return state.eligible ? { kind: "held", lease } : { kind: "idle" };
}

/** Extends the lease from now; false when it is no longer this holder's. */
export async function renewLease(
  deps: LeaseDeps,
  target: LeaseTarget,
  owner: string,
  durationMs: number,
): Promise<Date | null> {
  const statement = new Statement(deps);
  const conditions = statement.conditions(target.scope);
  const until = new Date(deps.clock.nowMs() + durationMs);
  const kept = await changedRows(
    deps.sequelize,
    `UPDATE ${name(target.table)} SET lease_expires_at = :until
     WHERE id = :id AND lease_owner = :owner${conditions}`,
    { ...statement.replacements, id: target.id, owner, until: sqlTime(deps.sequelize, until) },
  );
  return kept === 1 ? until : null;
}

/**
 * Gives the row up without finishing its work, so the next claim (of anyone) succeeds at once.
 * `set` columns change in the same statement. False when the lease was no longer this holder's.
 */
export async function releaseLease(
  deps: LeaseDeps,
  target: LeaseTarget,
  owner: string,
  set?: Record<string, SqlValue | RawSql>,
): Promise<boolean> {
  const statement = new Statement(deps);
  const assignments = statement.assignments(set);
  const conditions = statement.conditions(target.scope);
  const released = await changedRows(
    deps.sequelize,
    `UPDATE ${name(target.table)} SET lease_owner = NULL, lease_expires_at = NULL${assignments}
     WHERE id = :id AND lease_owner = :owner${conditions}`,
    {
      ...statement.replacements,
      id: target.id,
      owner,
      now: sqlTime(deps.sequelize, deps.clock.now()),
    },
  );
  return released === 1;
}

export interface KeptLease {
  /** True once another holder has taken over (the holder then stops at its next checkpoint). */
  readonly lost: boolean;
  stop(): void;
}

/**
 * Renews the lease every third of its length until stopped. A failed renewal (a lost connection)
 * is retried at the next tick: the lease is long enough for a couple of misses.
 */
export function keepLease(
  deps: LeaseDeps,
  target: LeaseTarget,
  owner: string,
  durationMs: number,
): KeptLease {
  const state = { lost: false, stopped: false, cancel: () => {} };
  const everyMs = Math.floor(durationMs / 3);
  const tick = () => {
    state.cancel = deps.clock.at(deps.clock.nowMs() + everyMs, () => {
      if (state.stopped) return;
      renewLease(deps, target, owner, durationMs).then(
        (until) => {
          if (until === null) state.lost = true;
          else if (!state.stopped) tick();
        },
        (error: unknown) => {
          deps.logger.warn(
            { err: error, table: target.table, id: target.id },
            "lease renewal failed",
          );
          if (!state.stopped) tick();
        },
      );
    });
  };
  tick();
  return {
    get lost() {
      return state.lost;
    },
    stop() {
      state.stopped = true;
      state.cancel();
    },
  };
}
