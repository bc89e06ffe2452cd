import { z } from "zod";
import { isoTime, named } from "../../http/apiResponse";
import { taskPriorities, taskStatuses } from "../../models/Task";

const who = z.strictObject({ id: z.number().int(), name: z.string() });

/** What the tasks API answers (presenters/task.ts). */
export const taskSchema = named(
  "Task",
  z.strictObject({
    id: z.number().int(),
    title: z.string(),
    description: z.string().nullable(),
    priority: z.enum(taskPriorities),
    status: z.enum(taskStatuses),
    dueAt: isoTime().nullable(),
    assigneeId: z.number().int().nullable(),
    assignee: who.nullable(),
    customerId: z.number().int().nullable(),
    customer: who.nullable(),
    createdById: z.number().int().nullable(),
    createdAt: isoTime(),
    updatedAt: isoTime(),
  }),
);

export const taskExample: z.input<typeof taskSchema> = {
  id: 12,
  title: "Call back about the order",
  description: null,
  priority: "high",
  status: "open",
  dueAt: "2026-12-03T05:30:00.000Z",
  assigneeId: 3,
  assignee: { id: 3, name: "Ravi Kumar" },
  customerId: 42,
  customer: { id: 42, name: "Asha Verma" },
  createdById: 1,
  createdAt: "2026-12-01T09:00:00.000Z",
  updatedAt: "2026-12-01T09:00:00.000Z",
};
