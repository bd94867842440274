// A real HTTP server on loopback that speaks OpenAI's audio API: transcriptions (multipart upload in,
// JSON out) and speech (JSON in, WAV out), with scripted answers and failures. What it was sent is kept.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeWav } from '../../engines/speech/audio.ts';

export type AudioReply = { status: number; text?: string; body?: unknown; delayMs?: number };

export interface AudioApiServer {
  readonly baseUrl: string;
  /** Transcription replies in order; with none left, `transcribe` answers. */
  transcriptions: AudioReply[];
  transcribe: ((upload: { model: string; bytes: number }) => AudioReply) | null;
  /** Speech replies in order; with none left, a short tone as WAV. */
  speech: AudioReply[];
  readonly requests: { path: string; model: string; voice?: string; input?: string; bytes?: number; contentType: string }[];
  close(): Promise<void>;
}

const read = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });

/** A form field's value from a multipart body (enough for what the SDK sends). */
function field(body: Buffer, name: string): string | undefined {
  const m = new RegExp(`name="${name}"\\r\\n\\r\\n([^\\r]*)\\r\\n`).exec(body.toString('latin1'));
  return m?.[1];
}

export async function startAudioApiServer(): Promise<AudioApiServer> {
  const server: Server = createServer((req, res) => {
    void read(req).then((body) => {
      const path = (req.url ?? '').replace(/^\/v1/, '');
      const contentType = req.headers['content-type'] ?? '';
      const send = (reply: AudioReply, audio?: Buffer) => {
        const go = () => {
          if (res.destroyed) return;
          if (audio) {
            res.writeHead(200, { 'content-type': 'audio/wav' });
            res.end(audio);
            return;
          }
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(reply.body ?? { text: reply.text ?? '' }));
        };
        if (reply.delayMs) setTimeout(go, reply.delayMs);
        else go();
      };
      if (path === '/audio/transcriptions') {
        const model = field(body, 'model') ?? '';
        api.requests.push({ path, model, bytes: body.length, contentType });
        send(
          api.transcriptions.shift() ??
            api.transcribe?.({ model, bytes: body.length }) ?? { status: 500, body: { error: { message: 'no scripted transcription' } } },
        );
      } else if (path === '/audio/speech') {
        const json = JSON.parse(body.toString()) as { model: string; voice: string; input: string };
        api.requests.push({ path, model: json.model, voice: json.voice, input: json.input, contentType });
        const reply = api.speech.shift();
        if (reply) send(reply);
        else
          send(
            { status: 200 },
            encodeWav({ sampleRate: 24_000, samples: Float32Array.from({ length: 2_400 }, (_, i) => 0.2 * Math.sin(i / 5)) }),
          );
      } else {
        send({ status: 404, body: { error: { message: `no route ${path}` } } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const api: AudioApiServer = {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    transcriptions: [],
    transcribe: null,
    speech: [],
    requests: [],
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  return api;
}
