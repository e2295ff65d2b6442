import { rm } from 'node:fs/promises';

export default async function globalTeardown() {
  const started = globalThis.portcullisTestDatabase;
  if (!started) return;
  await started.server.stop(); // persistent: false removes the cluster
  await rm(started.root, { recursive: true, force: true });
}
