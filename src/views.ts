import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Application } from "express";
import Handlebars from "handlebars";
import { projectRoot } from "./config";
import { systemClock, type Clock } from "./lib/clock";
import { renderStarted } from "./lib/requestTiming";

export const viewsDir = path.join(projectRoot, "views");
const layoutsDir = path.join(viewsDir, "layouts");
const partialsDir = path.join(viewsDir, "partials");
const extension = ".hbs";
const defaultLayout = "main";

function helpersFor(clock: Clock) {
  return {
    eq: (a: unknown, b: unknown): boolean => a === b,
    and: (a: unknown, b: unknown): boolean => Boolean(a) && Boolean(b),
    /** Joins strings; Handlebars passes its options object last, which is dropped. */
    concat: (...parts: unknown[]): string => parts.slice(0, -1).map(String).join(""),
    year: (): number => clock.now().getUTCFullYear(),
    /** Bootstrap's class for a field with an error. */
    invalidClass: (error: unknown): string => (error ? "is-invalid" : ""),
  };
}

/** Every template file under `dir`, by its path relative to `dir` without the extension. */
function templateFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(extension)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const name = path.relative(dir, file).slice(0, -extension.length).split(path.sep).join("/");
    files.set(name, file);
  }
  return files;
}

/** Whitespace-sensitive elements: their content is left as written. */
const keptAsWritten = /(<(pre|textarea)\b[\s\S]*?<\/\2>)/i;

/**
 * The template's source without the indentation of its lines: it was a third of a list page's
 * bytes (35 KB for 25 leads), which every page paid for in copying, writing and gzip. A line
 * break stays, so inline elements keep the space between them; pre and textarea keep theirs.
 */
export function withoutIndentation(source: string): string {
  return source
    .split(keptAsWritten)
    .map((part, index) => {
      // split() puts each match at odd indexes, followed by its captured tag name.
      if (index % 3 === 1) return part;
      if (index % 3 === 2) return "";
      return part.replace(/\n[ \t]+/g, "\n").replace(/\n{2,}/g, "\n");
    })
    .join("");
}

type Template = Handlebars.TemplateDelegate;
type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;

function compileOptions(helpers: Record<string, unknown>): CompileOptions {
  return {
    knownHelpers: Object.fromEntries(Object.keys(helpers).map((name) => [name, true])),
    knownHelpersOnly: true,
    preventIndent: true,
  };
}

/**
 * Compiles every view, layout and partial now (Handlebars otherwise compiles on first render) and
 * names those that fail, e.g. with a helper that does not exist.
 */
export function uncompilableViews(): string[] {
  const options = compileOptions(helpersFor(systemClock));
  const failed: string[] = [];
  for (const [name, file] of templateFiles(viewsDir)) {
    if (name.startsWith("emails/")) continue; // rendered by integrations/mail
    try {
      Handlebars.precompile(withoutIndentation(readFileSync(file, "utf8")), options);
    } catch (error) {
      failed.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return failed;
}
type Context = Record<string, unknown> & { layout?: string | false | null };

/**
 * Handlebars views with layouts and partials (named by their path under views/partials, e.g.
 * `form/errors`). With `cache` (production) every template is compiled once; without it each
 * render reads the files again, so edits show at once. Sources and output are trimmed, as
 * express-handlebars did: this replaces it, whose per-render promise chains, partial and helper
 * copies and path resolution cost more than rendering a small page itself.
 */
class Views {
  private env = Handlebars.create();
  private readonly compiled = new Map<string, Template>();
  private loaded = false;

  constructor(
    private readonly cache: boolean,
    private readonly helpers: Record<string, Handlebars.HelperDelegate>,
  ) {
    this.options = compileOptions(helpers);
  }

  private compile(file: string): Template {
    return this.env.compile(withoutIndentation(readFileSync(file, "utf8").trim()), this.options);
  }

  /**
   * Every helper is known when templates compile, so `{{name}}` compiles to a property read
   * instead of first asking whether a helper of that name exists (an unknown helper fails the
   * compile: views.test.ts compiles every view). Partials are not re-indented to their call's
   * column: that split and re-joined every partial's output on every page, and put spaces into
   * the lines of a textarea's value.
   */
  private readonly options: CompileOptions;

  private prepare(): void {
    if (this.cache && this.loaded) return;
    this.env = Handlebars.create();
    this.compiled.clear();
    this.env.registerHelper(this.helpers);
    for (const [name, file] of templateFiles(partialsDir))
      this.env.registerPartial(name, this.compile(file));
    this.loaded = true;
  }

  private template(file: string): Template {
    let template = this.compiled.get(file);
    if (!template) {
      template = this.compile(file);
      this.compiled.set(file, template);
    }
    return template;
  }

  /** The view at `file` in its layout: `layout` names one in views/layouts, false for none. */
  render(file: string, context: Context): string {
    this.prepare();
    const body = this.template(file)(context).trim();
    const layout = "layout" in context ? context.layout : defaultLayout;
    if (!layout) return body;
    const layoutFile = path.resolve(layoutsDir, layout + (path.extname(layout) ? "" : extension));
    return this.template(layoutFile)({ ...context, body }).trim();
  }
}

/** Handlebars with layouts and partials; templates are cached when view cache is on (production). */
export function configureViews(app: Application, cache: boolean, clock: Clock = systemClock): void {
  const views = new Views(cache, helpersFor(clock));
  // Timed for the Server-Timing header's `render`.
  app.engine("hbs", (file, options, callback) => {
    const done = renderStarted();
    let html: string;
    try {
      html = views.render(file, options as Context);
    } catch (error) {
      done();
      return callback(error);
    }
    done();
    callback(null, html);
  });
  app.set("view engine", "hbs");
  app.set("views", viewsDir);
  if (cache) app.enable("view cache");
}
