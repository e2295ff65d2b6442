// The raw rate of `bcrypt.compare` on this machine, in its own process (so it gets the cores the
// service would), with as many compares under way as libuv has threads: the ceiling of
// POST /auth/login. Started by bench.mjs; prints one JSON line on stdout.
//   node test/bench/bcrypt-rate.mjs <cost> <warm-up seconds> <seconds>
// The workers run without a break from the start of the warm-up to the end of the window, and
// only compares that finish inside the window count (as autocannon counts answers): a steady rate.
import { createHmac } from 'node:crypto';
import bcrypt from 'bcrypt';

const [cost, warmupSeconds, seconds] = process.argv.slice(2).map(Number);
const concurrency = Number(process.env.UV_THREADPOOL_SIZE) || 4;

// What the service hands bcrypt: base64(HMAC-SHA256) of the password, 44 ASCII bytes.
const input = createHmac('sha256', 'bench').update('bench user password').digest('base64');
const hash = await bcrypt.hash(input, cost);

const start = performance.now();
const windowStart = start + warmupSeconds * 1000;
const windowEnd = windowStart + seconds * 1000;
let compares = 0;
let failures = 0;
const worker = async () => {
  while (performance.now() < windowEnd) {
    const ok = await bcrypt.compare(input, hash);
    const now = performance.now();
    if (now < windowStart || now > windowEnd) continue;
    if (ok) compares++;
    else failures++;
  }
};
await Promise.all(Array.from({ length: concurrency }, worker));
process.stdout.write(`${JSON.stringify({ cost, concurrency, compares, failures, seconds, comparesPerSecond: compares / seconds })}\n`);
