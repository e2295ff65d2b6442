import net from 'node:net';

export interface BlackholeProxy {
  /** `databaseUrl` with the proxy's address in place of the server's. */
  url: string;
  /** From now on, the listener connections' bytes vanish both ways: no FIN, no RST, nothing. */
  blackhole(): void;
  /** New connections flow again; those black-holed stay dead, as a NAT's forgotten flows do. */
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of PostgreSQL that can silently drop the traffic of Portcullis's LISTEN
 * connections (recognized by `application_name=portcullis-listener` in their startup message),
 * as a NAT or load balancer that timed out an idle flow does. Other connections pass untouched.
 */
export async function startBlackholeProxy(databaseUrl: string): Promise<BlackholeProxy> {
  const target = new URL(databaseUrl);
  let dropping = false;
  const listenerConnections = new Set<{ blackholed: boolean }>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    const state = { blackholed: false };
    let recognized = false;
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      if (!recognized) {
        recognized = true;
        if (chunk.includes('portcullis-listener')) {
          listenerConnections.add(state);
          state.blackholed = dropping;
        }
      }
      if (!state.blackholed) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!state.blackholed) client.write(chunk);
    });
    const closeBoth = () => {
      if (state.blackholed) return; // a black hole tells nobody anything
      client.destroy();
      upstream.destroy();
    };
    client.on('error', closeBoth).on('close', closeBoth);
    upstream.on('error', closeBoth).on('close', closeBoth);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    blackhole: () => {
      dropping = true;
      for (const connection of listenerConnections) connection.blackholed = true;
    },
    restore: () => {
      dropping = false;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
