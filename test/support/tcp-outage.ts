// A TCP relay on loopback between the system and a server it depends on (PostgreSQL), which a test can
// take down — every open connection reset, new ones refused — and bring back on the same port: what the
// processes see when the database restarts or the network to it fails, without restarting the machine's
// shared server.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpOutage {
  readonly port: number;
  /** Resets every connection and refuses new ones until `restore`; how many connections it reset. */
  cut(): Promise<number>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpRelay(target: { host: string; port: number }, port: number): Promise<TcpOutage> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(target.port, target.host);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
      server = s;
    });
  const down = async () => {
    const open = sockets.size;
    for (const socket of sockets) socket.resetAndDestroy();
    sockets.clear();
    const s = server;
    server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    return open;
  };
  await listen();
  return {
    port,
    cut: down,
    restore: listen,
    close: async () => {
      await down();
    },
  };
}
