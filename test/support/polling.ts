import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `check` every 20 ms until it holds, answering how long that took; fails after `ms`. */
export async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check()) return Date.now() - started;
    await sleep(20);
  }
  throw new Error(`not within ${ms} ms`);
}

/** Whether a TCP connection to the port is refused (nothing listens there, or its listener closed). */
export function connectionRefused(port: number): Promise<boolean> {
  return new Promise((settle) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      settle(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => settle(error.code === 'ECONNREFUSED'));
  });
}
