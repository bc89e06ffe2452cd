// Every test process: quiet logs and a fixed secret unless the run says otherwise.
process.env.NODE_ENV = "test";
process.env.LOG_LEVEL ??= "silent";
