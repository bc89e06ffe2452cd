import type { Deps } from "../../deps";
import { AppError, isAppError } from "../../errors";
import type { Lead } from "../../models";
import { presentLead } from "../../presenters/leads";
import { authorize, type TenantContext } from "../../tenancy/context";
import { tenantSql } from "../../tenancy/sql";
import { publishEvents, wantsEvent } from "../../webhooks/publish";
import type { SqlValue } from "../../db/bulk";
import { completeFields, type LeadChanges } from "./input";
import { nextRoundRobinOwners } from "./roundRobin";
import { loadScoringRules, scoreByRules } from "./scoring";
import { businessLeadStages, checkStageChoice } from "./stages";
import { columnsOf, completeColumns } from "./writes";

/** What became of one row of a batch. */
export type BulkOutcome =
  | { kind: "created"; id: number }
  /** Its phone or e-mail is a lead's already (or an earlier row's of the batch). */
  | { kind: "duplicate" }
  | { kind: "invalid"; messages: string[] };

export interface BulkLeadOptions {
  /** The import the leads come from (leads.import_id: undo deletes them). */
  importId: number | null;
  /** Round-robin owners (when on); otherwise the importer owns the leads (a job: nobody). */
  roundRobin: boolean;
}

const keyOf = (value: string | null | undefined) => value?.toLowerCase() ?? null;

/**
 * New leads of an import batch in one transaction and a handful of statements, whatever its size
 * (it was ~10 statements a row through createLead): the batch's phones and e-mails looked up in
 * one SELECT; the round-robin turns taken in one UPDATE; the leads in one multi-row INSERT
 * (db/bulk.ts) with their import id and the rules' score (rules read once; a new lead's only
 * event is "created"); their "created" entries in another; lead.created events for subscribed
 * endpoints in the same transaction. Same rules as createLead: the business's stages (Converted
 * refused), a first name, unique phone and e-mail. Rows whose contact is taken come back as
 * duplicates for the caller's skip/update; a race lost to another writer (unique index) rolls
 * the batch back and throws, and the caller writes that batch row by row.
 */
export async function createLeadsInBulk(
  deps: Deps,
  ctx: TenantContext,
  rows: readonly LeadChanges[],
  options: BulkLeadOptions,
): Promise<BulkOutcome[]> {
  authorize(ctx, "leads.manage");
  const outcomes: BulkOutcome[] = rows.map(() => ({ kind: "duplicate" }));
  const stages = await businessLeadStages(deps, ctx.business.id);
  const candidates: number[] = [];
  for (const [index, changes] of rows.entries()) {
    try {
      if (changes.stage !== undefined) checkStageChoice(stages, changes.stage);
      if (!changes.firstName) throw AppError.validation({ firstName: "Enter the first name." });
      candidates.push(index);
    } catch (error) {
      if (!isAppError(error)) throw error;
      const fields = (error.details ?? {}) as Record<string, unknown>;
      const messages = Object.values(fields).filter((m): m is string => typeof m === "string");
      outcomes[index] = { kind: "invalid", messages: messages.length ? messages : [error.message] };
    }
  }
  const taken = await takenContacts(
    deps,
    ctx,
    candidates.map((i) => rows[i]!),
  );
  const fresh: number[] = [];
  for (const index of candidates) {
    const { phoneE164, email } = rows[index]!;
    const keys = [phoneE164 ? `p:${phoneE164}` : null, email ? `e:${keyOf(email)}` : null];
    if (keys.some((k) => k !== null && taken.has(k))) continue;
    for (const k of keys) if (k) taken.add(k);
    fresh.push(index);
  }
  if (fresh.length === 0) return outcomes;
  const rules = await loadScoringRules(deps, ctx.business.id);
  const now = deps.clock.now();
  const actor = ctx.system ? null : ctx.user.id;
  await deps.sequelize.transaction(async (transaction) => {
    // The turns first: on SQLite the transaction's first statement must be its first write.
    const owners = options.roundRobin
      ? await nextRoundRobinOwners(deps, ctx.business.id, fresh.length, transaction)
      : [];
    const leads = fresh.map((index, i) => {
      const values = {
        businessId: ctx.business.id,
        ...completeColumns(columnsOf(completeFields(rows[index]!), null, now)),
        ownerId: owners[i] ?? actor,
        answers: null,
        importId: options.importId,
        createdById: actor,
        createdAt: now,
        updatedAt: now,
      };
      const lead = deps.models.Lead.build(values);
      // The rules own the score once there is one (createLead's rule); without, it stays as typed.
      if (rules.length > 0)
        lead.score = scoreByRules(rules, { lead, answers: {}, eventCounts: { created: 1 } });
      return lead;
    });
    const sql = tenantSql(deps, ctx, transaction);
    const columns = leadColumns(deps);
    const tuples = leads.map((lead) =>
      sql.literals.row(columns.map(({ attribute }) => valueOf(lead, attribute))),
    );
    const names = columns.map((c) => c.column);
    let ids = await sql.insertTuplesWithIds("leads", names, tuples);
    if (ids === null) {
      if (options.importId === null) throw new Error("createLeadsInBulk: ids not consecutive");
      // No consecutive ids (MySQL's interleaved auto-increment): this import's newest rows are
      // this batch's (the import's lease keeps one writer).
      const read = await sql.select<{ id: number }>`SELECT id FROM leads
        WHERE ${sql.scoped("leads")} AND import_id = ${options.importId}
        ORDER BY id DESC LIMIT ${leads.length}`;
      ids = read.map((r) => Number(r.id)).reverse();
    }
    leads.forEach((lead, i) => lead.setDataValue("id", ids[i]!));
    await sql.insertRows(
      "lead_events",
      ["lead_id", "actor_id", "kind", "details", "created_at"],
      leads.map((lead) => [lead.id, actor, "created", JSON.stringify({ stage: lead.stage }), now]),
    );
    if (await wantsEvent(deps, ctx, "lead.created", transaction)) {
      const ownerIds = [...new Set(leads.map((l) => l.ownerId).filter((id) => id !== null))];
      const users = ownerIds.length
        ? await deps.models.User.findAll({
            where: { id: ownerIds },
            attributes: ["id", "name"],
            transaction,
          })
        : [];
      const byId = new Map(users.map((u) => [u.id, u]));
      await publishEvents(
        deps,
        ctx,
        "lead.created",
        leads.map((lead) => presentLead(lead, lead.ownerId ? byId.get(lead.ownerId) : null)),
        { transaction },
      );
    }
    fresh.forEach((index, i) => (outcomes[index] = { kind: "created", id: ids[i]! }));
  });
  return outcomes;
}

/** "p:<phone>" and "e:<email>" of the business's leads that have one of the rows' contacts. */
async function takenContacts(
  deps: Deps,
  ctx: TenantContext,
  rows: readonly LeadChanges[],
): Promise<Set<string>> {
  const phones = [...new Set(rows.map((r) => r.phoneE164).filter((p): p is string => !!p))];
  const emails = [...new Set(rows.map((r) => r.email).filter((e): e is string => !!e))];
  const taken = new Set<string>();
  if (phones.length === 0 && emails.length === 0) return taken;
  // Phones and e-mails are unique per business: every lead of it counts (sales included).
  const sql = tenantSql(deps, { businessId: ctx.business.id, ownRecordsOf: null });
  const none = ["\u0000"];
  const found = await sql.select<{ phone_e164: string | null; email: string | null }>`
    SELECT l.phone_e164, l.email FROM leads l WHERE ${sql.scoped("l")}
      AND (l.phone_e164 IN ${phones.length ? phones : none} OR l.email IN ${emails.length ? emails : none})`;
  for (const row of found) {
    if (row.phone_e164) taken.add(`p:${row.phone_e164}`);
    if (row.email) taken.add(`e:${keyOf(row.email)}`);
  }
  return taken;
}

/** The leads table's columns a new lead writes (business_id comes from the scope). */
function leadColumns(deps: Pick<Deps, "models">): Array<{ attribute: string; column: string }> {
  const attributes = deps.models.Lead.getAttributes();
  return Object.entries(attributes)
    .filter(([name]) => name !== "id" && name !== "businessId")
    .map(([name, spec]) => ({ attribute: name, column: spec.field ?? name }));
}

function valueOf(lead: Lead, attribute: string): SqlValue {
  const value = (lead.get({ plain: false }) as Record<string, unknown>)[attribute];
  if (value === undefined || value === null) return null;
  if (value instanceof Date || typeof value === "string" || typeof value === "number") return value;
  if (typeof value === "boolean") return value;
  return JSON.stringify(value);
}
