import { formatDate } from "../lib/dates";
import { formatPhone } from "../lib/phone";
import type { Customer } from "../models";

/** What presenting a customer reads: a model instance or a plain row (commands/customers/list.ts). */
export type CustomerFields = Pick<
  Customer,
  | "id"
  | "name"
  | "email"
  | "phoneE164"
  | "whatsappE164"
  | "consentAt"
  | "birthDate"
  | "anniversary"
  | "ownerId"
  | "createdAt"
  | "updatedAt"
>;

/** A customer as pages and the API show it. Phones: E.164 for machines, formatted for people. */
export function presentCustomer(customer: CustomerFields, tags: string[] = []) {
  const phoneDisplay = formatPhone(customer.phoneE164);
  return {
    id: customer.id,
    name: customer.name,
    email: customer.email,
    phone: customer.phoneE164,
    phoneDisplay,
    whatsapp: customer.whatsappE164,
    // Usually the same number: formatting costs ~20 µs, so do it once.
    whatsappDisplay:
      customer.whatsappE164 === customer.phoneE164
        ? phoneDisplay
        : customer.whatsappE164
          ? formatPhone(customer.whatsappE164)
          : null,
    tags,
    consentAt: customer.consentAt ? customer.consentAt.toISOString().slice(0, 10) : null,
    birthDate: customer.birthDate,
    birthDateDisplay: customer.birthDate ? formatDate(customer.birthDate) : null,
    anniversary: customer.anniversary,
    anniversaryDisplay: customer.anniversary ? formatDate(customer.anniversary) : null,
    ownerId: customer.ownerId,
    createdAt: customer.createdAt.toISOString(),
    updatedAt: customer.updatedAt.toISOString(),
    url: `/customers/${customer.id}`,
  };
}

export type PresentedCustomer = ReturnType<typeof presentCustomer>;
