// A real SMTP server as its own process, for the tests that email (run: node test/support/smtp-server.ts
// PORT). Every message it accepts is printed as one JSON line on stdout. SMTP_TEMPFAIL_FIRST=n answers
// the first n messages with 451 (try again later); SMTP_REJECT=address refuses that recipient with 550.
import { SMTPServer } from 'smtp-server';

const port = Number(process.argv[2]);
let tempFailures = Number(process.env.SMTP_TEMPFAIL_FIRST ?? 0);
const rejected = process.env.SMTP_REJECT?.toLowerCase();

const header = (raw: string, name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(raw)?.[1]?.trim() ?? null;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  onRcptTo(address, _session, callback) {
    if (rejected && address.address.toLowerCase() === rejected)
      return callback(Object.assign(new Error('No such mailbox here'), { responseCode: 550 }));
    callback();
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      if (tempFailures > 0) {
        tempFailures--;
        return callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const split = raw.search(/\r?\n\r?\n/);
      let body = split < 0 ? '' : raw.slice(split).trim();
      if (/quoted-printable/i.test(header(raw, 'Content-Transfer-Encoding') ?? ''))
        body = Buffer.from(
          body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8');
      const to = session.envelope.rcptTo.map((r) => r.address);
      process.stdout.write(
        `${JSON.stringify({ to, subject: header(raw, 'Subject'), messageId: header(raw, 'Message-ID'), text: body })}\n`,
      );
      callback();
    });
  },
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening on ${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
