// Email through SMTP (nodemailer): the one way messages leave for claimants and applicants. A refusal the
// server means (a 5xx: no such mailbox, rejected) is permanent; anything else (a 4xx, a connection that
// fails or times out) is worth another try later.
import nodemailer from 'nodemailer';

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** Stable per message, so a message sent twice (a crash between sending and recording it) is one to the reader. */
  readonly messageId: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** The SMTP server refused the message for good (a 5xx reply): retrying cannot help. */
export class MailRefused extends Error {
  readonly responseCode: number;
  constructor(message: string, responseCode: number) {
    super(message);
    this.name = 'MailRefused';
    this.responseCode = responseCode;
  }
}

/** `url`: smtp://user:pass@host:port (or smtps://); `from`: the sender address. */
export function createSmtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url, { from });
  // One connection at a time, and no waiting for ever on a server that does not answer.
  Object.assign(transport.options, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  return {
    async send(message) {
      try {
        await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text, messageId: message.messageId });
      } catch (error) {
        const code = (error as { responseCode?: unknown }).responseCode;
        if (typeof code === 'number' && code >= 500 && code < 600) throw new MailRefused((error as Error).message, code);
        throw error;
      }
    },
    close() {
      transport.close();
    },
  };
}
