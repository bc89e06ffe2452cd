import { AppError } from "../../errors";
import { renderWhatsAppBody, renderWhatsAppParams } from "./params";
import { validateWhatsAppTemplate, type WhatsAppTemplateInput } from "./validation";

const input = (overrides: Partial<WhatsAppTemplateInput> = {}): WhatsAppTemplateInput => ({
  name: "diwali_offer",
  language: "en",
  category: "MARKETING",
  headerText: "",
  body: "Hi {{1}}, {{2}} has 20% off for you today.",
  footerText: "Reply STOP to opt out",
  buttons: [],
  placeholders: {
    "1": { source: "customer.first_name", value: "there" },
    "2": { source: "fixed", value: "Asha Sweets" },
  },
  ...overrides,
});

function fieldErrors(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return (error.details?.fields ?? {}) as Record<string, string>;
    throw error;
  }
  throw new Error("expected a validation error");
}

describe("WhatsApp template validation", () => {
  it("accepts a template whose placeholders are contiguous and all mapped", () => {
    const valid = validateWhatsAppTemplate(input());
    expect(valid.placeholderMap).toEqual({
      "1": { field: "customer.first_name", fallback: "there" },
      "2": { fixed: "Asha Sweets" },
    });
    expect(valid.headerText).toBeNull();
  });

  it("refuses a skipped placeholder, naming the missing one", () => {
    const errors = fieldErrors(() =>
      validateWhatsAppTemplate(input({ body: "Hi {{1}}, see {{3}} today." })),
    );
    expect(errors.body).toContain("{{2}} is missing");
  });

  it("refuses a placeholder without a source, and e-mail without a fallback", () => {
    const errors = fieldErrors(() =>
      validateWhatsAppTemplate(
        input({
          body: "Hi {{1}}, write to {{2}} or {{3}} today.",
          placeholders: {
            "1": { source: "", value: "" },
            "2": { source: "customer.email", value: "" },
            "3": { source: "fixed", value: "" },
          },
        }),
      ),
    );
    expect(errors).toEqual({
      p1: "Choose what fills this placeholder.",
      p2: "Some customers have no e-mail: type the text to use for them.",
      p3: "Type the fixed text.",
    });
  });

  it("refuses Meta's other rules with every field's reason at once", () => {
    const errors = fieldErrors(() =>
      validateWhatsAppTemplate(
        input({
          name: "Diwali Offer",
          language: "english",
          category: "OTHER",
          headerText: "Hello {{1}}",
          body: "{{1}} gets a gift",
          buttons: [
            { type: "URL", text: "Shop", url: "http://insecure.example" },
            { type: "QUICK_REPLY", text: "x".repeat(26) },
          ],
        }),
      ),
    );
    expect(Object.keys(errors).sort()).toEqual(
      ["body", "button1", "button2", "category", "headerText", "language", "name"].sort(),
    );
    expect(errors.body).toContain("starts or ends with a placeholder");
  });
});

describe("renderWhatsAppParams", () => {
  const template = {
    body: "Hi {{1}}, {{2}} at {{3}} for {{4}}.",
    placeholderMap: JSON.stringify({
      "1": { field: "customer.first_name", fallback: "there" },
      "2": { fixed: "20% off" },
      "3": { field: "business.name" },
      "4": { field: "customer.email", fallback: "you" },
    }),
  };

  it("fills each placeholder in order from the customer, fixed texts and the business", () => {
    const params = renderWhatsAppParams(
      template,
      { name: "Meera  Iyer", email: "meera@example.com", phoneE164: "+919800000000" },
      { businessName: "Asha Sweets" },
    );
    expect(params).toEqual(["Meera", "20% off", "Asha Sweets", "meera@example.com"]);
    expect(renderWhatsAppBody(template.body, params)).toBe(
      "Hi Meera, 20% off at Asha Sweets for meera@example.com.",
    );
  });

  it("uses the fallback for an empty field, and never sends newlines Meta refuses", () => {
    expect(
      renderWhatsAppParams(
        { body: "Hi {{1}}, mail {{2}} soon", placeholderMap: template.placeholderMap },
        { name: "Line\nBreak Name", email: null },
      ),
    ).toEqual(["Line", "20% off"]);
    expect(
      renderWhatsAppParams(
        {
          body: "For {{1}} today",
          placeholderMap: { "1": { field: "customer.email", fallback: "you" } },
        },
        { name: "A", email: null },
      ),
    ).toEqual(["you"]);
  });

  it("throws for a placeholder with no source rather than sending a short list", () => {
    expect(() =>
      renderWhatsAppParams(
        { body: "Hi {{1}} and {{2}}.", placeholderMap: '{"1":{"fixed":"x"}}' },
        {
          name: "A",
        },
      ),
    ).toThrow("{{2}} has no source");
  });
});
