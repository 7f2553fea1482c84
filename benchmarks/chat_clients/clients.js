// Chat fan-out load: N socket.io clients (the official client) join one room; a few senders send
// at a fixed rate; every client timestamps each delivery. Prints JSON: latencies (ms) of every
// delivery (send -> receipt) and of every ack (send -> ack). Run by benchmarks/chat.py.
const { io } = require("socket.io-client");

const fs = require("fs");
const [base, slug, tokensFile, ratePerSecond, seconds, senders, outFile] = process.argv.slice(2);
const tokens = JSON.parse(fs.readFileSync(tokensFile, "utf8"));
const deliveries = [];
const acks = [];
let missing = 0;
let acksFailed = 0;
const refusals = {};

function connect(token) {
  return new Promise((resolve, reject) => {
    const socket = io(base, { transports: ["websocket"], auth: { token }, reconnection: false });
    socket.on("connect_error", reject);
    socket.on("connect", () => socket.emit("join", { community: slug }, (ack) => (ack.ok ? resolve(socket) : reject(ack))));
  });
}

(async () => {
  const sockets = [];
  for (let i = 0; i < tokens.length; i += 50) {
    sockets.push(...(await Promise.all(tokens.slice(i, i + 50).map(connect))));
  }
  await new Promise((r) => setTimeout(r, 3000));  // joins and their presence news settle first
  const sent = new Map();
  let received = 0;
  for (const socket of sockets) {
    socket.on("message", (m) => {
      const at = sent.get(m.client_id);
      if (at !== undefined) { deliveries.push(Number(process.hrtime.bigint() - at) / 1e6); received++; }
    });
  }
  const total = Math.round(Number(ratePerSecond) * Number(seconds));
  const gap = 1000 / Number(ratePerSecond);
  const count = Number(senders);
  for (let n = 0; n < total; n++) {
    const sender = sockets[n % count];
    const clientId = `bench-${n}`;
    const at = process.hrtime.bigint();
    sent.set(clientId, at);
    sender.emit("message", { community: slug, body: `Bericht ${n}`, client_id: clientId }, (ack) => {
      if (ack && ack.ok) acks.push(Number(process.hrtime.bigint() - at) / 1e6);
      else { acksFailed++; refusals[(ack && ack.error) || "none"] = (refusals[(ack && ack.error) || "none"] || 0) + 1; }
    });
    await new Promise((r) => setTimeout(r, gap));
  }
  await new Promise((r) => setTimeout(r, 3000));
  missing = total * sockets.length - received;
  let failed = acksFailed;
  fs.writeFileSync(outFile, JSON.stringify({ deliveries, acks, missing, failed, refusals, clients: sockets.length, messages: total }));
  sockets.forEach((s) => s.close());
  process.exit(0);
})().catch((error) => { console.error(error); process.exit(1); });
