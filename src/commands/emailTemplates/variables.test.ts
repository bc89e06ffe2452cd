import { composeEmail } from "./compose";
import { htmlToText } from "./htmlToText";
import { escapeHtml, fillVariables, variableProblem, type MergeData } from "./variables";

const data: MergeData = {
  customer: {
    name: 'Ravi "R" <Kumar> & Sons',
    email: "ravi@example.com",
    phoneE164: "+919812345678",
  },
  business: { name: "Lotus Sarees" },
  unsubscribeUrl: "https://crm.example.com/u/u-1-2-3.sig",
};

describe("e-mail template variables", () => {
  it("accepts the known variables, with or without spaces", () => {
    expect(
      variableProblem("Hi {{customer.first_name}} {{ business.name }} {{unsubscribe_url}}"),
    ).toBeNull();
  });

  it("names unknown variables and lists the known ones", () => {
    expect(variableProblem("Hi {{customer.nmae}} and {{customer.nmae}}")).toBe(
      "Unknown variable {{customer.nmae}}. Use one of: {{customer.name}}, {{customer.first_name}}, {{customer.email}}, {{customer.phone}}, {{business.name}}, {{unsubscribe_url}}.",
    );
    expect(variableProblem("{{customer.city}}")).toContain("customers have no city field");
  });

  it("refuses unclosed variables and triple braces", () => {
    expect(variableProblem("Hi {{customer.name")).toContain("not closed");
    expect(variableProblem("Hi customer.name}}")).toContain("not closed");
    expect(variableProblem("{{{customer.name}}}")).toContain("Triple braces");
  });

  it("escapes values in HTML and keeps the subject on one line", () => {
    expect(fillVariables("<p>{{customer.name}}</p>", data, "html")).toBe(
      "<p>Ravi &quot;R&quot; &lt;Kumar&gt; &amp; Sons</p>",
    );
    const multiline = { ...data, customer: { ...data.customer, name: "A\r\nBcc: x@evil.example" } };
    expect(fillVariables("Hi {{customer.first_name}} {{customer.name}}", multiline, "plain")).toBe(
      "Hi A A Bcc: x@evil.example",
    );
    expect(escapeHtml(`<a href='x'>`)).toBe("&lt;a href=&#39;x&#39;&gt;");
  });
});

describe("the text part made from the HTML", () => {
  it("keeps links after their label, lists as dashes, blocks as paragraphs, entities decoded", () => {
    const html = `<html><head><style>p{color:red}</style><title>x</title></head><body>
      <h1>Festive   offer</h1>
      <p>Dear Ravi &amp; family,<br>prices from &#8377;999 &mdash; this week.</p>
      <ul><li>Silk</li><li>Cotton</li></ul>
      <p><a href="https://shop.example.com/sale?a=1&amp;b=2">See the sale</a>
      <a href="https://shop.example.com">https://shop.example.com</a>
      <a href="mailto:care@shop.example.com">Write to us</a></p>
      <!-- hidden --><script>alert(1)</script></body></html>`;
    expect(htmlToText(html)).toBe(
      [
        "Festive offer",
        "",
        "Dear Ravi & family,",
        "prices from ₹999 — this week.",
        "",
        "- Silk",
        "- Cotton",
        "",
        "See the sale (https://shop.example.com/sale?a=1&b=2) https://shop.example.com Write to us (care@shop.example.com)",
      ].join("\n"),
    );
  });
});

describe("composing one recipient's message", () => {
  const links = {
    openPixelUrl: "https://crm.example.com/t/o/o-1.gif",
    unsubscribeUrl: data.unsubscribeUrl,
    clickUrl: (url: string) => `https://crm.example.com/t/c/c-1?u=${encodeURIComponent(url)}`,
  };

  it("tracks http(s) links but not the unsubscribe link or mailto, and adds the pixel before </body>", () => {
    const composed = composeEmail(
      {
        subject: "Hi {{customer.first_name}}",
        htmlBody:
          '<body><a href="https://shop.example.com/?a=1&amp;b=2">Shop</a> <a href="{{unsubscribe_url}}">Stop</a> <a href="mailto:x@y.z">Mail</a></body>',
      },
      data,
      links,
    );
    expect(composed.subject).toBe("Hi Ravi");
    expect(composed.html).toContain(
      'href="https://crm.example.com/t/c/c-1?u=https%3A%2F%2Fshop.example.com%2F%3Fa%3D1%26b%3D2"',
    );
    expect(composed.html).toContain(`href="${data.unsubscribeUrl}"`);
    expect(composed.html).toContain('href="mailto:x@y.z"');
    expect(composed.html).toMatch(
      /<img src="https:\/\/crm\.example\.com\/t\/o\/o-1\.gif"[^>]*>\n<\/body>/,
    );
    expect(composed.text).toContain("Shop (https://shop.example.com/?a=1&b=2)");
  });
});
