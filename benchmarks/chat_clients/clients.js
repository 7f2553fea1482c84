// Chat fan-out load with the official socket.io client. Run by benchmarks/chat.py, in two processes:
//
//   node clients.js listen CONFIG   every token but the senders' joins the room (spread over the servers),
//                                   writes READY, and timestamps each message received until STOP appears;
//   node clients.js send CONFIG     the senders join, send `rate` messages a second for `seconds`, and time
//                                   each ack.
//
// Senders run in a process of their own: one Node event loop reading 1,000 sockets would timestamp an ack
// only once it had read that broadcast's frames on the other sockets. Both use process.hrtime, the
// machine's monotonic clock, so a send time and a receipt time compare across the two processes.
// CONFIG is JSON: {bases, slug, tokens, senders, rate, seconds, pids, dir}.
const { io } = require("socket.io-client");
const fs = require("fs");
const path = require("path");

const [role, configFile] = process.argv.slice(2);
const config = JSON.parse(fs.readFileSync(configFile, "utf8"));
const now = () => process.hrtime.bigint();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function cpuSeconds(pid) {
  // utime, stime, cutime and cstime (fields 14 to 17 of /proc/<pid>/stat: the process and the children it
  // waited for), in clock ticks (100 a second on Linux), plus the same for its living children (the search
  // index's writer process).
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  let seconds = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
    for (const child of children ? children.split(" ") : []) {
      try { seconds += cpuSeconds(child); } catch (error) { /* it ended meanwhile */ }
    }
  }
  return seconds;
}

function connect(token, n) {
  const base = config.bases[n % config.bases.length];
  return new Promise((resolve, reject) => {
    const socket = io(base, { transports: ["websocket"], auth: { token }, reconnection: false });
    socket.on("connect_error", reject);
    socket.on("connect", () => socket.emit("join", { community: config.slug }, (ack) => (ack.ok ? resolve(socket) : reject(ack))));
  });
}

async function connectAll(tokens, offset) {
  const sockets = [];
  for (let i = 0; i < tokens.length; i += 50) {
    sockets.push(...(await Promise.all(tokens.slice(i, i + 50).map((t, k) => connect(t, offset + i + k)))));
  }
  return sockets;
}

async function listen() {
  const sockets = await connectAll(config.tokens.slice(config.senders), config.senders);
  const received = {};  // client_id -> receipt times (ns, as strings)
  for (const socket of sockets) {
    socket.on("message", (m) => { (received[m.client_id] ||= []).push(now().toString()); });
  }
  fs.writeFileSync(path.join(config.dir, "READY"), "");
  while (!fs.existsSync(path.join(config.dir, "STOP"))) await sleep(100);
  fs.writeFileSync(path.join(config.dir, "received.json"), JSON.stringify({ listeners: sockets.length, received }));
  sockets.forEach((s) => s.close());
}

async function send() {
  const sockets = await connectAll(config.tokens.slice(0, config.senders), 0);
  await sleep(3000);  // joins and their presence news settle first
  const total = Math.round(config.rate * config.seconds);
  const gap = 1000 / config.rate;
  const sent = {}, acks = [], refusals = {};
  const cpuBefore = config.pids.map(cpuSeconds);
  const started = Number(now()) / 1e6;
  for (let n = 0; n < total; n++) {
    const clientId = `bench-${n}`;
    const at = now();
    sent[clientId] = at.toString();
    sockets[n % sockets.length].emit("message", { community: config.slug, body: `Bericht ${n}`, client_id: clientId }, (ack) => {
      if (ack && ack.ok) acks.push(Number(now() - at) / 1e6);
      else { const code = (ack && ack.error) || "none"; refusals[code] = (refusals[code] || 0) + 1; }
    });
    // Keep to the schedule (send n at n * gap), whatever the timers' drift.
    await sleep(Math.max(0, started + (n + 1) * gap - Number(now()) / 1e6));
  }
  await sleep(3000);
  const cpu = config.pids.map(cpuSeconds).reduce((sum, after, k) => sum + after - cpuBefore[k], 0);
  fs.writeFileSync(path.join(config.dir, "sent.json"), JSON.stringify({ sent, acks, refusals, server_cpu_seconds: cpu }));
  sockets.forEach((s) => s.close());
}

(role === "listen" ? listen() : send()).then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
