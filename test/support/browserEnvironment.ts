import type { Circus } from "@jest/types";
import { TestEnvironment } from "jest-environment-node";

/**
 * The browser project's environment: Node's, plus a flag the test file's afterEach reads to know
 * that the test just failed (jest tells only the environment), so it can show what the browser
 * and the server were doing (reportFailures in browser.ts) instead of only "timeout exceeded".
 */
export default class BrowserTestEnvironment extends TestEnvironment {
  async handleTestEvent(event: Circus.Event): Promise<void> {
    if (event.name === "test_fn_failure") this.global.__crmBrowserTestFailed = true;
  }
}
