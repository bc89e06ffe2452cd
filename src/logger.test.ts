import { createLogger, prettyLine } from "./logger";

/** Log lines for people (development) and for machines (production): issue 10, item 13. */
describe("log lines", () => {
  const at = new Date(2030, 2, 1, 9, 5, 7).getTime();

  it("reads as one short line: time, level, message, then the fields", () => {
    const json = JSON.stringify({
      level: 30,
      time: at,
      pid: 4242,
      url: "http://localhost:4100",
      role: "all",
      msg: "listening",
    });
    expect(prettyLine(json)).toBe("09:05:07 INFO  listening url=http://localhost:4100 role=all\n");
  });

  it("shows a request as the request itself", () => {
    const json = JSON.stringify({
      level: 30,
      time: at,
      pid: 1,
      req: { id: "r-1", method: "GET", url: "/customers?page=2" },
      res: { statusCode: 200 },
      responseTime: 12,
      msg: "request completed",
    });
    expect(prettyLine(json)).toBe("09:05:07 INFO  GET /customers?page=2 200 12 ms\n");
    const aborted = { ...JSON.parse(json), level: 40, msg: "request aborted" };
    expect(prettyLine(JSON.stringify(aborted))).toBe(
      "09:05:07 WARN  request aborted: GET /customers?page=2 200 12 ms\n",
    );
  });

  it("puts an error's stack under its line, and quotes values with spaces", () => {
    const json = JSON.stringify({
      level: 50,
      time: at,
      reqId: "r-2",
      note: "two words",
      err: { type: "Error", message: "boom", stack: "Error: boom\n    at handler (app.ts:1:1)" },
      msg: "request failed",
    });
    expect(prettyLine(json)).toBe(
      '09:05:07 ERROR request failed reqId=r-2 note="two words"\n' +
        "    Error: boom\n" +
        "        at handler (app.ts:1:1)\n",
    );
    expect(prettyLine(json, true)).toContain("\u001b[31mERROR\u001b[0m");
  });

  it("passes through anything that is not a JSON line", () => {
    expect(prettyLine("plain text")).toBe("plain text\n");
  });

  it("writes pretty lines to stdout when asked for them", () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => {
      written.push(String(chunk));
      return true;
    });
    try {
      createLogger("info", {}, "pretty").info({ port: 4100 }, "listening");
      expect(written.join("")).toMatch(/^\d\d:\d\d:\d\d INFO {2}listening port=4100\n$/);
    } finally {
      spy.mockRestore();
    }
  });
});
