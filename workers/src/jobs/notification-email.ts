// E-mailed notices where SMTP is configured: low balance, plan ending soon, plan ended, to the user concerned (their
// e-mail address) with the operators (NOTIFY_EMAIL_TO) in Bcc, or to the operators alone. One short mail in English
// and Chinese. Credentials never reach a log line or an error message.
import { ConfigError, readBoolean, type NotificationJob } from '@nebulagate/schema';
import { UnrecoverableError } from 'bullmq';
import type { SendMailOptions } from 'nodemailer';

export interface EmailSettings {
  host: string;
  port: number;
  /** true: TLS from the first byte (port 465); false: plain, upgraded with STARTTLS when the server offers it. */
  secure: boolean;
  auth: { user: string; pass: string } | null;
  from: string;
  /** NOTIFY_EMAIL_TO: operator addresses that get a copy of every e-mailed notice. */
  operators: string[];
}

/** What a log line may say about the SMTP server: no user, no password. */
export function describeSmtp(settings: EmailSettings): string {
  return `${settings.secure ? 'smtps' : 'smtp'}://${settings.host}:${settings.port}`;
}

// Same rule as a user's address in the control plane: one @, a dot in the domain, nothing that splits a header.
const ADDRESS_PATTERN = /^[^\s@<>()[\],;:"\\]+@[^\s@<>()[\],;:"\\]+\.[^\s@<>()[\],;:"\\]+$/;

function readPort(value: string, name: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new ConfigError(name, 'must be a port number (1-65535)');
  return port;
}

function readServer(env: NodeJS.ProcessEnv): Pick<EmailSettings, 'host' | 'port' | 'secure' | 'auth'> | null {
  const url = env.SMTP_URL?.trim() ?? '';
  const host = env.SMTP_HOST?.trim() ?? '';
  if (url && host) throw new ConfigError('SMTP_URL', 'set SMTP_URL or SMTP_HOST, not both');
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      // Not echoing the value: it may hold the password.
      throw new ConfigError('SMTP_URL', 'must look like smtp://user:password@host:587 or smtps://user:password@host:465');
    }
    if ((parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') || !parsed.hostname) {
      throw new ConfigError('SMTP_URL', 'must look like smtp://user:password@host:587 or smtps://user:password@host:465');
    }
    const secure = parsed.protocol === 'smtps:';
    const user = decodeURIComponent(parsed.username);
    const pass = decodeURIComponent(parsed.password);
    return {
      host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: parsed.port ? readPort(parsed.port, 'SMTP_URL') : secure ? 465 : 587,
      secure,
      auth: user ? { user, pass } : null,
    };
  }
  if (!host) return null;
  const port = env.SMTP_PORT?.trim() ? readPort(env.SMTP_PORT.trim(), 'SMTP_PORT') : null;
  const secure = readBoolean(env, 'SMTP_SECURE', port === 465);
  const user = env.SMTP_USERNAME?.trim() ?? '';
  const pass = env.SMTP_PASSWORD ?? '';
  if (!user && pass) throw new ConfigError('SMTP_USERNAME', 'SMTP_PASSWORD is set without SMTP_USERNAME');
  return { host, port: port ?? (secure ? 465 : 587), secure, auth: user ? { user, pass } : null };
}

/** SMTP_URL or SMTP_HOST (+ SMTP_PORT, SMTP_SECURE, SMTP_USERNAME, SMTP_PASSWORD), SMTP_FROM, NOTIFY_EMAIL_TO; null = no e-mail. */
export function readEmailSettings(env: NodeJS.ProcessEnv): EmailSettings | null {
  const server = readServer(env);
  const operatorList = env.NOTIFY_EMAIL_TO?.trim() ?? '';
  // SMTP_SENDER_EMAIL is LiteLLM's name for the same setting.
  const from = (env.SMTP_FROM ?? env.SMTP_SENDER_EMAIL ?? '').trim();
  if (!server) {
    if (operatorList) throw new ConfigError('NOTIFY_EMAIL_TO', 'needs an SMTP server: set SMTP_URL or SMTP_HOST');
    return null;
  }
  if (!from) throw new ConfigError('SMTP_FROM', 'set the sender address, e.g. "NebulaGate <noreply@example.com>"');
  if (!from.includes('@') || /[\r\n]/.test(from)) throw new ConfigError('SMTP_FROM', 'must be an e-mail address, optionally with a name: "Name <address>"');
  const operators = operatorList ? [...new Set(operatorList.split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''))] : [];
  for (const address of operators) {
    if (address.length > 254 || !ADDRESS_PATTERN.test(address)) throw new ConfigError('NOTIFY_EMAIL_TO', 'must be a comma-separated list of e-mail addresses');
  }
  return { ...server, from, operators };
}

export interface EmailRecipient {
  username: string;
  email: string | null;
}

export interface ComposedEmail {
  subject: string;
  text: string;
}

/** Credits (1e-6 USD) as dollars: at least two decimals, up to six, so a small balance does not read "$0.00". */
export function formatCredits(credits: number): string {
  const sign = credits < 0 ? '-' : '';
  const dollars = (Math.abs(credits) / 1_000_000).toFixed(6).replace(/(\.\d\d\d*?)0+$/, '$1');
  return `${sign}$${dollars}`;
}

function formatTime(iso: string | number | null | undefined): string {
  const time = new Date(typeof iso === 'string' ? iso : Number.NaN);
  if (Number.isNaN(time.getTime())) return '?';
  return `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function numberOf(value: string | number | null | undefined): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

/**
 * The mail for one notice; null for kinds that are not e-mailed (plan.reset comes every period for every
 * subscriber: the webhook gets it, inboxes do not). Worded for the account holder and an operator alike.
 */
export function composeNotificationEmail(notification: NotificationJob, recipient: EmailRecipient | null): ComposedEmail | null {
  const account = recipient?.username ?? notification.userId;
  const details = notification.details;
  const footer = `\n\n-- \nNebulaGate (${notification.id})\n`;
  if (notification.kind === 'balance.low') {
    const balance = formatCredits(numberOf(details.balanceAfter));
    return {
      subject: 'NebulaGate: low balance / 余额不足',
      text:
        `The balance of NebulaGate account "${account}" is ${balance}, below its alert threshold. Top up to keep its API keys working.\n\n` +
        `NebulaGate 账户「${account}」的余额为 ${balance}，已低于提醒阈值。请及时充值，以免 API 密钥无法使用。${footer}`,
    };
  }
  const plan = typeof details.planName === 'string' ? details.planName : String(details.planId ?? '');
  const endsAt = formatTime(details.endsAt);
  if (notification.kind === 'plan.expiring') {
    return {
      subject: 'NebulaGate: plan ending soon / 套餐即将到期',
      text:
        `The plan "${plan}" of NebulaGate account "${account}" ends on ${endsAt}. What is left of its allowance expires then; after that, requests are paid from the wallet balance.\n\n` +
        `NebulaGate 账户「${account}」的套餐「${plan}」将于 ${endsAt} 到期。届时剩余额度失效，之后的请求从钱包余额扣费。${footer}`,
    };
  }
  if (notification.kind === 'plan.expired') {
    const expired = formatCredits(numberOf(details.expired));
    return {
      subject: 'NebulaGate: plan ended / 套餐已到期',
      text:
        `The plan "${plan}" of NebulaGate account "${account}" ended on ${endsAt}; the allowance left (${expired}) expired. Requests are now paid from the wallet balance.\n\n` +
        `NebulaGate 账户「${account}」的套餐「${plan}」已于 ${endsAt} 到期，剩余额度（${expired}）已失效。现在的请求从钱包余额扣费。${footer}`,
    };
  }
  return null;
}

export interface MailTransport {
  sendMail(message: SendMailOptions): Promise<unknown>;
}

export interface EmailDependencies {
  settings: EmailSettings;
  transport: MailTransport;
  /** The account the notice is about (null when it no longer exists). */
  recipientOf(userId: string): Promise<EmailRecipient | null>;
}

function smtpFailure(error: unknown, settings: EmailSettings): Error {
  const details = error as { message?: unknown; responseCode?: unknown; code?: unknown };
  let message = typeof details.message === 'string' ? details.message : 'send failed';
  if (settings.auth?.pass) message = message.split(settings.auth.pass).join('***');
  const text = `e-mail via ${describeSmtp(settings)} failed: ${message.slice(0, 300)}`;
  // SMTP 5xx (a refused recipient, bad credentials) does not get better by retrying; 4xx and network errors may.
  const responseCode = typeof details.responseCode === 'number' ? details.responseCode : 0;
  if ((responseCode >= 500 && responseCode < 600) || details.code === 'EENVELOPE') return new UnrecoverableError(text);
  return new Error(text);
}

/**
 * Sends the notice's mail; resolves with 0 recipients when nobody is there to receive it (nothing to retry). When the
 * server refuses some recipients but not all, the mail went to the others: that counts as sent (a retry would mail
 * them twice), and the refused count is in the job's result.
 */
export async function sendNotificationEmail(notification: NotificationJob, dependencies: EmailDependencies): Promise<{ recipients: number; refused: number }> {
  const { settings } = dependencies;
  const recipient = await dependencies.recipientOf(notification.userId);
  const composed = composeNotificationEmail(notification, recipient);
  if (!composed) return { recipients: 0, refused: 0 };
  const userAddress = recipient?.email ?? null;
  const to = userAddress ? [userAddress] : settings.operators;
  const bcc = userAddress ? settings.operators.filter((address) => address.toLowerCase() !== userAddress.toLowerCase()) : [];
  if (to.length === 0) return { recipients: 0, refused: 0 };
  let info: unknown;
  try {
    info = await dependencies.transport.sendMail({
      from: settings.from,
      to,
      bcc: bcc.length > 0 ? bcc : undefined,
      subject: composed.subject,
      text: composed.text,
      // Stable per notice, so a receiving system can tell a resend (after a lost reply) from a new notice.
      messageId: `<${notification.id}@notifications.nebulagate>`,
      date: new Date(notification.at),
    });
  } catch (error) {
    throw smtpFailure(error, settings);
  }
  const rejected = typeof info === 'object' && info !== null && 'rejected' in info && Array.isArray(info.rejected) ? info.rejected.length : 0;
  return { recipients: to.length + bcc.length - rejected, refused: rejected };
}
