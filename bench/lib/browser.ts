/**
 * A minimal cookie-keeping client for signing in to the app the way a browser does (GET /login,
 * submit the form with its _csrf token, keep the session cookie), so autocannon can then send
 * the same Cookie header.
 */

export interface Page {
  status: number;
  location: string | null;
  text: string;
}

/** Handlebars escapes attribute values; links taken from a page need them back. */
export function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error("No _csrf field in the page");
  return decodeEntities(match[1]);
}

export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (!pair || eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(path: string, form?: Record<string, string>): Promise<Page> {
    const headers: Record<string, string> = { cookie: this.cookieHeader };
    const init: RequestInit = { redirect: "manual", headers };
    if (form) {
      init.method = "POST";
      headers["content-type"] = "application/x-www-form-urlencoded";
      init.body = new URLSearchParams(form).toString();
    }
    const res = await fetch(this.base + path, init);
    this.remember(res);
    return { status: res.status, location: res.headers.get("location"), text: await res.text() };
  }

  /** Follows redirects (GET) up to five times. */
  async get(path: string): Promise<Page> {
    let page = await this.request(path);
    for (let i = 0; i < 5 && page.status >= 300 && page.status < 400 && page.location; i++) {
      page = await this.request(
        new URL(page.location, this.base).pathname + new URL(page.location, this.base).search,
      );
    }
    return page;
  }

  async signIn(email: string, password: string): Promise<void> {
    const form = await this.get("/login");
    if (form.status !== 200) throw new Error(`GET /login answered ${form.status}`);
    const res = await this.request("/login", { _csrf: csrfFrom(form.text), email, password });
    if (res.status !== 302 && res.status !== 303) {
      const message = /class="[^"]*alert[^"]*"[^>]*>([^<]+)/.exec(res.text)?.[1]?.trim();
      throw new Error(`Sign-in failed: ${res.status}${message ? ` (${message})` : ""}`);
    }
  }
}
