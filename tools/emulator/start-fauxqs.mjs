// Starts the fauxqs SNS/SQS/S3 emulator on 127.0.0.1 only, on a free port chosen by the OS, and
// prints one line "port=<n>" on stdout once it accepts connections. fauxqs's own CLI and
// startFauxqs() listen on 0.0.0.0, so this builds the same app with buildApp() and listens on
// loopback itself. It exits when its parent process dies (stdin closes or the parent pid changes),
// so a crashed test script never leaves an emulator behind.
//
// Usage: node start-fauxqs.mjs            (FAUXQS_LOGGER=true to log every request to stderr)
import { buildApp } from "fauxqs";

const app = buildApp({ logger: process.env.FAUXQS_LOGGER === "true", defaultRegion: "us-east-1" });
const address = await app.listen({ port: 0, host: "127.0.0.1" });
const port = new URL(address).port;
process.stdout.write(`port=${port}\n`);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  try {
    await app.close();
  } finally {
    process.exit(code);
  }
}
process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));
// The parent holds our stdin open; when it dies the pipe closes.
process.stdin.on("end", () => stop(0));
process.stdin.on("error", () => stop(0));
process.stdin.resume();
// Belt and braces: if we were re-parented (parent died without closing stdin), stop.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop(0);
}, 500).unref();
