import net from 'node:net';

export interface HoldingProxyOptions {
  /** Listen on this port of 127.0.0.1 (default: any free one). */
  port?: number;
  /**
   * Connections opened within so many ms of the first one the proxy sees get no answer until
   * then, and are forwarded from then on.
   */
  holdFor?: number;
  /**
   * By `application_name`: the connections of that name opened within so many ms of its first
   * one are held until then, so that each kind of connection meets a silent database once.
   */
  holdFirstOf?: Record<string, number>;
}

export interface HoldingProxy {
  /** `databaseUrl` with the proxy's address in place of the server's. */
  url: string;
  /** When `holdFor` ends (epoch ms), once the first connection has come. */
  releasedAt(): number | undefined;
  close(): Promise<void>;
}

/** The `application_name` of a PostgreSQL startup message, once `bytes` hold all of it ('' if it names none). */
function applicationNameIn(bytes: Buffer): string | undefined {
  if (bytes.length < 8 || bytes.length < bytes.readInt32BE(0)) return undefined;
  const fields = bytes.subarray(8, bytes.readInt32BE(0)).toString('utf8').split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === 'application_name') return fields[i + 1];
  return '';
}

/**
 * A TCP proxy in front of PostgreSQL that accepts connections at once but answers nothing, and
 * forwards nothing, until their time comes: a database that is up but too slow to answer, as a
 * fresh instance on a loaded machine meets it. Once a connection's time has come, its bytes (the
 * startup message it sent meanwhile included) pass both ways; one whose client gave up meanwhile
 * is dropped.
 */
export async function startHoldingProxy(databaseUrl: string, options: HoldingProxyOptions = {}): Promise<HoldingProxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<net.Socket>();
  const firstSeen = new Map<string, number>();

  let firstConnectionAt: number | undefined;

  const releaseTime = (applicationName: string, now: number): number => {
    firstConnectionAt ??= now;
    let release = firstConnectionAt + (options.holdFor ?? 0);
    const holdMs = options.holdFirstOf?.[applicationName];
    if (holdMs !== undefined) {
      if (!firstSeen.has(applicationName)) firstSeen.set(applicationName, now);
      release = Math.max(release, firstSeen.get(applicationName)! + holdMs);
    }
    return release;
  };

  const server = net.createServer((client) => {
    sockets.add(client);
    const held: Buffer[] = [];
    let upstream: net.Socket | undefined;
    let timer: NodeJS.Timeout | undefined;
    const closeBoth = () => {
      clearTimeout(timer);
      client.destroy();
      upstream?.destroy();
    };
    const forward = () => {
      if (client.destroyed) return;
      upstream = net.connect(Number(target.port), target.hostname);
      sockets.add(upstream);
      for (const chunk of held.splice(0)) upstream.write(chunk);
      upstream.on('data', (chunk: Buffer) => client.write(chunk));
      upstream.on('error', closeBoth).on('close', closeBoth);
    };
    let decided = false;
    client.on('data', (chunk: Buffer) => {
      if (upstream) {
        upstream.write(chunk);
        return;
      }
      held.push(chunk);
      if (decided) return;
      const applicationName = applicationNameIn(Buffer.concat(held));
      if (applicationName === undefined) return;
      decided = true;
      const now = Date.now();
      const release = releaseTime(applicationName, now);
      if (release <= now) forward();
      else timer = setTimeout(forward, release - now);
    });
    client.on('error', closeBoth).on('close', closeBoth);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    releasedAt: () => (firstConnectionAt === undefined ? undefined : firstConnectionAt + (options.holdFor ?? 0)),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
