import { formatPhone } from "../lib/phone";
import type { BusinessRecord } from "../tenancy/records";

export function presentBusiness(business: BusinessRecord) {
  return {
    id: business.id,
    name: business.name,
    category: business.category,
    description: business.description,
    phone: business.phone,
    phoneDisplay: business.phone ? formatPhone(business.phone) : null,
    whatsapp: business.whatsapp,
    whatsappDisplay: business.whatsapp ? formatPhone(business.whatsapp) : null,
    country: business.country,
    timeZone: business.timeZone,
    currency: business.currency,
  };
}

export type PresentedBusiness = ReturnType<typeof presentBusiness>;
