import path from "node:path";
import express from "express";
import { FakeClock } from "./lib/clock";
import { configureViews, uncompilableViews, viewsDir } from "./views";

function render(app: express.Application, view: string, context: object): Promise<string> {
  return new Promise((resolve, reject) =>
    app.render(path.join(viewsDir, view), context, (error, html) =>
      error ? reject(error) : resolve(html as string),
    ),
  );
}

describe("views", () => {
  it("all compile, with every helper they use known", () => {
    expect(uncompilableViews()).toEqual([]);
  });

  it("keep a textarea's lines as typed inside an indented partial", async () => {
    const app = express();
    configureViews(app, true, new FakeClock(new Date("2030-01-01T00:00:00Z")));
    const html = await render(app, "tasks/form.hbs", {
      layout: false,
      values: { title: "Call back", description: "first line\nsecond line\n  indented" },
      errors: {},
      customers: [],
      members: [],
    });
    expect(html).toContain(">first line\nsecond line\n  indented</textarea>");
  });
});
