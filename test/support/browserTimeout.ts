// A browser test drives a real Chromium beside another jest worker on a 2-core machine: 30 s was
// not enough for one (profile's photo crop timed out in CI at 38 s), so every browser file gets 3 min.
jest.setTimeout(180_000);
