import path from "node:path";
import type { Application } from "express";
import { engine } from "express-handlebars";
import { projectRoot } from "./config";
import { renderStarted } from "./lib/requestTiming";

export const viewsDir = path.join(projectRoot, "views");

const helpers = {
  eq: (a: unknown, b: unknown): boolean => a === b,
  and: (a: unknown, b: unknown): boolean => Boolean(a) && Boolean(b),
  /** Joins strings; Handlebars passes its options object last, which is dropped. */
  concat: (...parts: unknown[]): string => parts.slice(0, -1).map(String).join(""),
  year: (): number => new Date().getUTCFullYear(),
  /** Bootstrap's class for a field with an error. */
  invalidClass: (error: unknown): string => (error ? "is-invalid" : ""),
};

/** Handlebars with layouts and partials; templates are cached when view cache is on (production). */
export function configureViews(app: Application, cache: boolean): void {
  const render = engine({
    extname: ".hbs",
    defaultLayout: "main",
    layoutsDir: path.join(viewsDir, "layouts"),
    partialsDir: path.join(viewsDir, "partials"),
    helpers,
  });
  // Timed for the Server-Timing header's `render`.
  app.engine("hbs", (file, options, callback) => {
    const done = renderStarted();
    render(file, options, (error: unknown, html?: string) => {
      done();
      callback(error, html);
    });
  });
  app.set("view engine", "hbs");
  app.set("views", viewsDir);
  if (cache) app.enable("view cache");
}
