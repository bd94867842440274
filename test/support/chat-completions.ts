// A real HTTP server on loopback that speaks OpenAI's chat completions API with scripted replies: what a
// model would answer (content), or how a service fails (status, body, a delay past the client's timeout).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply = { status: number; body?: unknown; content?: string; delayMs?: number };
export interface ChatRequest {
  authorization: string | undefined;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format: { type: string; json_schema: { name: string; strict: boolean } };
  };
}

export interface ChatCompletionsServer {
  /** Base URL for OPENAI_BASE_URL (ends in /v1). */
  readonly baseUrl: string;
  /** Replies in order; with none left the server answers 500. */
  replies: Reply[];
  readonly requests: ChatRequest[];
  /** Answers every request not scripted in `replies` (instead of 500). */
  fallback: ((request: ChatRequest) => Reply) | null;
  close(): Promise<void>;
}

export async function startChatCompletionsServer(): Promise<ChatCompletionsServer> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: ChatRequest = {
        authorization: req.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString()) as ChatRequest['body'],
      };
      chat.requests.push(request);
      const reply = chat.replies.shift() ?? chat.fallback?.(request) ?? { status: 500, body: { error: { message: 'no scripted reply' } } };
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        const body = reply.body ?? {
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 1,
          model: 'loopback-model',
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: reply.content, refusal: null } }],
        };
        res.end(JSON.stringify(body));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const chat: ChatCompletionsServer = {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    replies: [],
    requests: [],
    fallback: null,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  return chat;
}
