import { closeLiveNotifications } from "../../src/notifications/live";
import { buildTestApp, type TestApp, type TestAppOptions } from "./app";
import { closeServer, listening, openEventStream, sessionCookie, type EventStream } from "./sse";

/** What useLiveApp fills in before a describe's tests run. */
export interface LiveApp {
  t: TestApp;
  /** Where the app listens (SSE needs a real socket). */
  url: string;
  /** Signs `email` in and opens their bell's stream (/notifications/live); closed after the tests. */
  bell(email: string): Promise<EventStream>;
}

/**
 * For a describe block of live-notification tests: the app listening on a local port, built
 * before the block's tests; after them the open streams, the server, the live channel and the
 * app are closed, in that order.
 */
export function useLiveApp(options: TestAppOptions = {}): LiveApp {
  const streams: EventStream[] = [];
  let server: Awaited<ReturnType<typeof listening>>["server"] | undefined;
  const handle = {
    bell: async (email: string) => {
      const stream = await openEventStream(
        `${handle.url}/notifications/live`,
        await sessionCookie(handle.url, email),
      );
      streams.push(stream);
      return stream;
    },
  } as LiveApp;
  beforeAll(async () => {
    handle.t = await buildTestApp({}, options);
    ({ url: handle.url, server } = await listening(handle.t.app));
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    if (server) await closeServer(server);
    await closeLiveNotifications(handle.t.deps.config);
    await handle.t.close();
  });
  return handle;
}
