import { z } from "zod";
import { pageQuerySchema } from "../../http/pagination";
import { dueFilters, statusFilters, taskViews } from "../../commands/tasks/list";
import { parseLocalDateTime } from "../../lib/dates";
import { taskPriorities, taskStatuses } from "../../models/Task";
import { idField, idParams, selectId } from "../../http/params";
import { safeNext } from "../auth/schema";

const messages = {
  title: "Enter a title.",
  titleLong: "Keep the title to 200 characters.",
  descriptionLong: "Keep the description to 5,000 characters.",
  priority: "Choose a priority: low, medium, high or urgent.",
  status: "Choose a status: open, in_progress, done or cancelled.",
  dueLocal: "Enter a date and time, such as 2026-11-22 10:30.",
  dueIso: "Send an ISO 8601 time with its zone, such as 2026-11-22T10:30:00+05:30, or null.",
  assignee: "Choose a member of this business.",
  customer: "Choose a customer of this business.",
  apiId: "Send an id (a positive whole number) or null.",
  view: 'Choose the view "mine" or "all".',
  statusFilter: "Choose a status: active, any, open, in_progress, done or cancelled.",
  due: "Choose a due filter: overdue, today or week.",
  assigneeFilter: "Choose a member by id.",
  page: "Choose a page number from 1.",
  nothingToChange: "Send at least one field to change.",
};

/** An empty form or query field means "not given". */
const blank = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

/** The list filters, as query parameters of the page and of the API alike. */
export const taskFilterSchema = z.object({
  view: z.preprocess(blank, z.enum(taskViews, { error: messages.view }).default("all")),
  status: z.preprocess(
    blank,
    z.enum(statusFilters, { error: messages.statusFilter }).default("active"),
  ),
  priority: z.preprocess(blank, z.enum(taskPriorities, { error: messages.priority }).optional()),
  assigneeId: z.preprocess(blank, idField(messages.assigneeFilter).optional()),
  due: z.preprocess(blank, z.enum(dueFilters, { error: messages.due }).optional()),
  page: z.preprocess(
    blank,
    z.coerce
      .number({ error: messages.page })
      .int(messages.page)
      .min(1, messages.page)
      .max(100_000)
      .default(1),
  ),
});

/** GET /api/v1/tasks: the page's filters, paged by the API's cursor instead of page numbers. */
export const apiTaskListSchema = taskFilterSchema
  .omit({ page: true })
  .extend(pageQuerySchema.shape);

const title = z
  .string({ error: messages.title })
  .trim()
  .min(1, messages.title)
  .max(200, messages.titleLong);

const description = z
  .string()
  .max(5000, messages.descriptionLong)
  .transform((value) => value.trim() || null);

/** A local path to come back to after saving; anything else is dropped. */
export const returnTo = z
  .string()
  .optional()
  .transform((value) => (value && safeNext(value) === value ? value : undefined));

/** The create and edit forms. The due time is typed in the business's time zone. */
export function taskFormSchema(timeZone: string) {
  return z.object({
    title,
    description: description.optional().transform((value) => value ?? null),
    priority: z.enum(taskPriorities, { error: messages.priority }),
    status: z.enum(taskStatuses, { error: messages.status }).default("open"),
    dueAt: z
      .string()
      .trim()
      .optional()
      .transform((value, ctx) => {
        if (!value) return null;
        const instant = parseLocalDateTime(value, timeZone);
        if (!instant) {
          ctx.addIssue({ code: "custom", message: messages.dueLocal });
          return z.NEVER;
        }
        return instant;
      }),
    assigneeId: selectId(messages.assignee),
    customerId: selectId(messages.customer),
    returnTo,
  });
}

/** Pages that lead back to where the person came from. */
export const returnToQuery = z.object({ returnTo: returnTo.catch(undefined) });
export const deleteTaskSchema = returnToQuery;

/** GET /tasks/new: optionally linked to a customer (from the customer's page). */
export const newTaskQuery = z.object({
  returnTo: returnTo.catch(undefined),
  customerId: z.string().optional().catch(undefined),
});

export const taskParams = idParams("taskId");

export const statusFormSchema = z.object({
  status: z.enum(taskStatuses, { error: messages.status }),
  returnTo,
});

const apiId = z.number({ error: messages.apiId }).int(messages.apiId).positive(messages.apiId);

const apiFields = {
  title,
  description: description.nullable(),
  priority: z.enum(taskPriorities, { error: messages.priority }),
  status: z.enum(taskStatuses, { error: messages.status }),
  dueAt: z.iso
    .datetime({ offset: true, error: messages.dueIso })
    .transform((value) => new Date(value))
    .nullable(),
  assigneeId: apiId.nullable(),
  customerId: apiId.nullable(),
};

/** POST /api/v1/tasks: a title, the rest optional; unknown keys are refused, not ignored. */
export const apiCreateTaskSchema = z.strictObject({
  ...z.object(apiFields).partial().shape,
  title,
});

/** PATCH /api/v1/tasks/:taskId: any of the fields, at least one. */
export const apiUpdateTaskSchema = z
  .strictObject(z.object(apiFields).partial().shape)
  .refine((body) => Object.keys(body).length > 0, { error: messages.nothingToChange });
