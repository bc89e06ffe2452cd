import { z } from "zod";
import { parseIsoDate } from "../../lib/dates";
import type { FieldErrors } from "../../lib/forms";
import { toE164 } from "../../lib/phone";
import type { FormField, FormFieldTarget } from "../../models/Form";
import type { LeadChanges } from "../leads/input";

/** One answer: text, the ticked choices of a checkbox field, or a consent's yes/no. */
export type Answer = string | string[] | boolean;
export type Answers = Record<string, Answer>;

/** The hidden fields a form page carries from its own address and the page that linked to it. */
export const trackingFields = [
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "referrer",
  "landing_page",
] as const;
export type TrackingField = (typeof trackingFields)[number];
export type Tracking = Record<TrackingField, string | null>;

/** Longest answer per field type: what a person types, and what the lead columns hold. */
const maxLength: Record<FormField["type"], number> = {
  text: 200,
  email: 191,
  phone: 40,
  number: 20,
  dropdown: 100,
  radio: 100,
  checkbox: 100,
  textarea: 5000,
  date: 10,
  consent: 3,
};

/** The lead columns' lengths, for text fields that fill one. */
const targetLength: Record<Exclude<FormFieldTarget, "">, number> = {
  fullName: 200,
  firstName: 100,
  lastName: 100,
  company: 150,
  jobTitle: 100,
  location: 150,
  industry: 100,
};

const emailCheck = z.email();

function limitOf(field: FormField): number {
  return field.target ? targetLength[field.target] : maxLength[field.type];
}

/** What was sent for a field, as the form re-renders it (text or the list of ticked choices). */
function sentValue(body: Record<string, unknown>, key: string): string | string[] {
  const value = body[key];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" ? value : "";
}

/**
 * Checks every field of a submission at once: required answers, lengths, e-mail and phone (E.164
 * with the business's country), numbers, dates, and choices among the field's own options.
 * Returns the answers (only fields answered) or every field's error, keyed by field key.
 */
export function readAnswers(
  fields: FormField[],
  body: Record<string, unknown>,
  country: string,
): { answers: Answers; errors: FieldErrors } {
  const answers: Answers = {};
  const errors: FieldErrors = {};
  for (const field of fields) {
    const sent = sentValue(body, field.key);
    const label = field.label;
    if (field.type === "consent") {
      const given = sent === "on" || sent === "yes" || sent === "true";
      if (field.required && !given) errors[field.key] = `Tick this box to send the form.`;
      else answers[field.key] = given;
      continue;
    }
    if (field.type === "checkbox") {
      const ticked = (Array.isArray(sent) ? sent : sent ? [sent] : []).map((v) => v.trim());
      const unknown = ticked.filter((v) => !field.options.includes(v));
      if (unknown.length) errors[field.key] = `Choose from the listed options for ${label}.`;
      else if (field.required && ticked.length === 0) errors[field.key] = `Choose at least one.`;
      else if (ticked.length) answers[field.key] = [...new Set(ticked)];
      continue;
    }
    const text = (Array.isArray(sent) ? (sent[0] ?? "") : sent).trim();
    if (text === "") {
      if (field.required) errors[field.key] = `Fill in ${label}.`;
      continue;
    }
    const limit = limitOf(field);
    if (text.length > limit) {
      errors[field.key] = `Keep ${label} to ${limit} characters.`;
      continue;
    }
    const problem = checkTyped(field, text, country);
    if (typeof problem === "object") errors[field.key] = problem.error;
    else answers[field.key] = problem;
  }
  return { answers, errors };
}

/** The answer in its stored form, or the reason it is not one. */
function checkTyped(field: FormField, text: string, country: string): string | { error: string } {
  switch (field.type) {
    case "email": {
      const email = text.toLowerCase();
      return emailCheck.safeParse(email).success
        ? email
        : { error: "Enter a valid e-mail address, such as name@example.com." };
    }
    case "phone":
      return toE164(text, country) ?? { error: "Enter a valid phone number." };
    case "number":
      return /^-?\d{1,15}(\.\d{1,4})?$/.test(text) ? text : { error: "Enter a number." };
    case "date":
      return parseIsoDate(text) ?? { error: "Enter a date as YYYY-MM-DD." };
    case "dropdown":
    case "radio":
      return field.options.includes(text) ? text : { error: "Choose one of the listed options." };
    default:
      return text;
  }
}

/** The tracking fields as sent (each cut to its column's length), null when absent. */
export function readTracking(body: Record<string, unknown>): Tracking {
  const tracking = {} as Tracking;
  for (const name of trackingFields) {
    const value = body[name];
    const limit = name === "referrer" || name === "landing_page" ? 500 : 191;
    tracking[name] =
      typeof value === "string" && value.trim() ? value.trim().slice(0, limit) : null;
  }
  return tracking;
}

/**
 * What a submission tells about the person, as lead fields: the first e-mail and phone answers,
 * the text fields' targets (a full name splits at its first space), consent for the channels the
 * person gave. Without any name the lead is called by its e-mail's local part.
 */
export function leadFieldsOf(fields: FormField[], answers: Answers): LeadChanges {
  const changes: LeadChanges = {};
  let consent = false;
  for (const field of fields) {
    const answer = answers[field.key];
    if (answer === undefined) continue;
    if (field.type === "email" && typeof answer === "string") changes.email ??= answer;
    else if (field.type === "phone" && typeof answer === "string")
      changes.phoneE164 ??= answer; // already E.164 (readAnswers)
    else if (field.type === "consent") consent ||= answer === true;
    else if (field.type === "text" && field.target && typeof answer === "string") {
      if (field.target === "fullName") {
        const [first, ...rest] = answer.split(/\s+/);
        changes.firstName ??= (first ?? "").slice(0, 100);
        if (rest.length) changes.lastName ??= rest.join(" ").slice(0, 100);
      } else changes[field.target] ??= answer;
    }
  }
  if (!changes.firstName)
    changes.firstName = changes.email ? (changes.email.split("@")[0] ?? "Visitor") : "Web visitor";
  if (consent) {
    changes.consentEmail = Boolean(changes.email);
    changes.consentWhatsapp = Boolean(changes.phoneE164);
  }
  return changes;
}

/** What the form shows again after an error: each field's sent value. */
export function sentValues(fields: FormField[], body: Record<string, unknown>) {
  const values: Record<string, string | string[]> = {};
  for (const field of fields) values[field.key] = sentValue(body, field.key);
  return values;
}
