import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The raw body, exactly as it arrived: what a receiver verifies the signature over. */
  readonly body: string;
}

/**
 * A webhook receiver on 127.0.0.1: records every POST per path and answers each path with the
 * statuses queued for it, then 200.
 */
export async function startWebhookReceiver() {
  const received: ReceivedDelivery[] = [];
  const answers = new Map<string, number[]>();
  /** Paths that never answer (a receiver slower than the delivery timeout). */
  const silent = new Set<string>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (silent.has(path)) return;
      response.statusCode = answers.get(path)?.shift() ?? 200;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    received,
    at: (path: string) => received.filter((delivery) => delivery.path === path),
    /** The next answers at `path`, in order (afterwards 200). */
    answer(path: string, ...statuses: number[]) {
      answers.set(path, [...(answers.get(path) ?? []), ...statuses]);
    },
    /** Receive at `path` but never answer. */
    hang(path: string) {
      silent.add(path);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
