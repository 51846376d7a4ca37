// A local AWS Lambda for tests: serves Lambda's Invoke API
//   POST /2015-03-31/functions/<name>/invocations   (X-Amz-Invocation-Type: RequestResponse | Event)
// on 127.0.0.1 (free port, printed as "port=<n>"), and runs each invocation with @vercel/fun, which
// starts the package's real `bootstrap` as a custom runtime (Runtime "provided") and talks to it
// through the Lambda Runtime API on loopback. Needs no network: fun's "provided" runtime downloads
// nothing. The function gets the caller's AWS credentials, AWS_ENDPOINT_URL* and this server as its
// Lambda endpoint (AWS_ENDPOINT_URL_LAMBDA), so distributed workers can invoke their children.
// Concurrency: fun keeps a pool of at most 10 processes per function (acquire timeout 5 s), so up
// to 10 invocations run at once. Exits on SIGTERM or when its parent process dies.
//
// Tests see Event invocations end through GET /fsd-test/invocations:
//   {"started": n, "ended": [{"error": <X-Amz-Function-Error or null>, "payload": "<result text>"}, ...]}
//
// Usage: node start-lambda.mjs --name fsd-worker (--zip PACKAGE.zip | --dir DIR) [--memory-mb 1024] [--timeout-s 60]
import http from "node:http";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { createFunction } = require("@vercel/fun");

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
if (!args.name || !(args.zip || args.dir)) {
  console.error("usage: start-lambda.mjs --name NAME (--zip FILE | --dir DIR)");
  process.exit(2);
}
function reply(res, status, headers, body) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(body);
}

const invocations = { started: 0, ended: [] };  // Event invocations (see the usage above)

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    if (req.method === "GET" && req.url === "/fsd-test/invocations") {
      return reply(res, 200, {}, JSON.stringify(invocations));
    }
    const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? "");
    if (req.method !== "POST" || !m) {
      return reply(res, 404, { "x-amzn-ErrorType": "UnknownOperationException" }, JSON.stringify({ message: "not an Invoke request" }));
    }
    const name = decodeURIComponent(m[1]);
    if (name !== args.name) {
      return reply(res, 404, { "x-amzn-ErrorType": "ResourceNotFoundException" },
        JSON.stringify({ Type: "User", message: `Function not found: ${name}` }));
    }
    const payload = Buffer.concat(chunks).toString("utf8");
    const type = req.headers["x-amz-invocation-type"] ?? "RequestResponse";
    if (type === "Event") {
      reply(res, 202, {}, "");
      invocations.started += 1;
      fn.invoke({ InvocationType: "RequestResponse", Payload: payload }).then(
        (r) => invocations.ended.push({ error: r.FunctionError ?? null, payload: String(r.Payload ?? "") }),
        (e) => {
          invocations.ended.push({ error: "Service", payload: String(e) });
          console.error(e);
        },
      );
      return;
    }
    try {
      const r = await fn.invoke({ InvocationType: "RequestResponse", Payload: payload });
      const headers = { "X-Amz-Executed-Version": "$LATEST" };
      if (r.FunctionError) headers["X-Amz-Function-Error"] = r.FunctionError;
      reply(res, 200, headers, String(r.Payload ?? ""));
    } catch (e) {
      reply(res, 500, { "x-amzn-ErrorType": "ServiceException" }, JSON.stringify({ Type: "Service", message: String(e) }));
    }
  });
});
// Listen first: the function's own Lambda endpoint is this server (its workers invoke their
// launch-tree children through it), so its port goes into the function's environment.
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = server.address().port;
// The function sees what a Lambda would: credentials (Lambda's role; here the caller's key pair —
// fun reserves AWS_SESSION_TOKEN and passes none), the region, and the service endpoints (the
// emulator's, and this server for Lambda).
const passed = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => k.startsWith("AWS_ENDPOINT_URL")),
);
const fn = await createFunction({
  FunctionName: args.name,
  Code: args.zip ? { ZipFile: args.zip } : { Directory: args.dir },
  Handler: "bootstrap",
  Runtime: "provided",
  MemorySize: Number(args["memory-mb"] ?? 1024),
  Timeout: Number(args["timeout-s"] ?? 60),
  Region: process.env.AWS_REGION ?? "us-east-1",
  AccessKeyId: process.env.AWS_ACCESS_KEY_ID,
  SecretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
  Environment: { Variables: { ...passed, AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${port}` } },
});
process.stdout.write(`port=${port}\n`);

async function stop() {
  server.close();
  await fn.destroy().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 300).unref();
