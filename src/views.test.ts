import path from "node:path";
import express from "express";
import { FakeClock } from "./lib/clock";
import { configureViews, uncompilableViews, viewsDir, withoutIndentation } from "./views";

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

  it("drop the indentation of template lines but keep pre and textarea content as written", () => {
    const source = [
      "<ul>",
      "    <li>one</li>",
      "",
      "\t<li>two</li>",
      "</ul>",
      "<pre>",
      "  kept\n    too</pre>",
      '  <textarea name="a">',
      "  typed</textarea>",
      "    <p>after</p>",
    ].join("\n");
    expect(withoutIndentation(source)).toBe(
      '<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<pre>\n  kept\n    too</pre>\n<textarea name="a">\n  typed</textarea>\n<p>after</p>',
    );
  });

  it("render a list page without the source's indentation, its words still apart", async () => {
    const app = express();
    configureViews(app, true, new FakeClock(new Date("2030-01-01T00:00:00Z")));
    const html = await render(app, "leads/index.hbs", {
      layout: false,
      leads: [{ id: 7, name: "Aarav Sharma", company: "Techverse", stageLabel: "New", score: 45 }],
      stageOptions: [],
      ownerOptions: [],
      sourceOptions: [],
      temperatureOptions: [],
    });
    expect(html).toContain("Aarav Sharma");
    expect(html).not.toMatch(/\n[ \t]+</);
  });
});
