// The lowest floor for bench/http-floors.mjs: node:http answering every POSTed JSON-RPC request with a result
// that echoes its id, one write, no SDK. What the machine's loopback HTTP costs with the same client.
// Prints {"port":N} on stdout once listening; exits on SIGTERM or when stdin closes.
import { createServer } from "node:http";

const http = createServer(async (req, res) => {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  let id = null;
  try {
    id = JSON.parse(Buffer.concat(chunks).toString("utf8")).id ?? null;
  } catch {
    // not JSON: answered with id null
  }
  const text = JSON.stringify({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "ok" }] } });
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
});
http.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: http.address().port })}\n`);
});
const stop = () => http.close(() => process.exit(0)) && http.closeAllConnections();
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
