// A real SMTP server (the smtp-server library) on a free local port that keeps every mail it accepts, parsed, for
// tests of e-mailed notices. Optional AUTH with one username/password; scriptable refusals (4xx/5xx) per stage.
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope sender and recipients (RCPT TO: To, Cc and Bcc alike). */
  envelopeFrom: string | null;
  envelopeTo: string[];
  /** The user the client authenticated as, if any. */
  authenticatedAs: string | null;
  from: string;
  /** Header recipients (Bcc does not appear here). */
  to: string[];
  subject: string;
  text: string;
  messageId: string | null;
}

export interface SmtpSinkHandle {
  port: number;
  /** smtp:// URL for the sink, with credentials when given. */
  url(credentials?: { username: string; password: string }): string;
  readonly mails: ReceivedMail[];
  /** The next `times` messages are refused at RCPT TO or after DATA with `code` (451 = try later, 550 = never). */
  refuseNext(stage: 'rcpt' | 'data', code: number, times?: number): void;
  /** How many RCPT TO / DATA attempts were refused so far. */
  readonly refusals: number;
  /** Resolves once `count` mails arrived (or throws after `timeoutMs`). */
  waitForMails(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((entry) => entry.value.map((address) => address.address ?? '')).filter((address) => address !== '');
}

function smtpError(message: string, code: number): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpSink(options: { username?: string; password?: string } = {}): Promise<SmtpSinkHandle> {
  const mails: ReceivedMail[] = [];
  const refusals = { rcpt: { code: 0, times: 0 }, data: { code: 0, times: 0 }, total: 0 };
  const requireAuth = options.username !== undefined;
  const server = new SMTPServer({
    secure: false,
    // No TLS in tests: STARTTLS off, so clients talk plain SMTP to the loopback sink.
    disabledCommands: requireAuth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !requireAuth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.username && auth.password === options.password) return callback(null, { user: auth.username });
      return callback(smtpError('Invalid username or password', 535));
    },
    onRcptTo(_address, _session, callback) {
      if (refusals.rcpt.times > 0) {
        refusals.rcpt.times -= 1;
        refusals.total += 1;
        return callback(smtpError('Recipient refused (scripted)', refusals.rcpt.code));
      }
      return callback();
    },
    onData(stream, session, callback) {
      const parts: Buffer[] = [];
      stream.on('data', (part: Buffer) => parts.push(part));
      stream.on('end', () => {
        if (refusals.data.times > 0) {
          refusals.data.times -= 1;
          refusals.total += 1;
          return callback(smtpError('Message refused (scripted)', refusals.data.code));
        }
        simpleParser(Buffer.concat(parts)).then(
          (parsed) => {
            mails.push({
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              envelopeTo: session.envelope.rcptTo.map((address) => address.address),
              authenticatedAs: session.user ?? null,
              from: addresses(parsed.from).join(', '),
              to: addresses(parsed.to),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              messageId: parsed.messageId ?? null,
            });
            callback();
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    get refusals() {
      return refusals.total;
    },
    url(credentials) {
      const auth = credentials ? `${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}@` : '';
      return `smtp://${auth}127.0.0.1:${port}`;
    },
    refuseNext(stage, code, times = 1) {
      refusals[stage] = { code, times };
    },
    async waitForMails(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (mails.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} mail(s), got ${mails.length}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return mails;
    },
    stop() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
