import { startHarness, errorCode, ROOT_PASSWORD, type Harness } from './harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness.stop();
});

const ME = '{ me { id username role status balance } }';

describe('login, me, logout', () => {
  it('logs root in with ADMIN_PASSWORD, sets an httpOnly SameSite=Lax cookie, and `me` answers for bearer and cookie', async () => {
    const response = await fetch(`${harness.plane.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { login(input: {username: "root", password: "' + ROOT_PASSWORD + '"}) { sessionToken user { username role } } }' }),
    });
    const body = (await response.json()) as { data: { login: { sessionToken: string; user: { username: string; role: string } } } };
    expect(body.data.login.user).toEqual({ username: 'root', role: 'ROOT' });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^ng_session=/);
    expect(cookie.toLowerCase()).toContain('httponly');
    expect(cookie.toLowerCase()).toContain('samesite=lax');

    const viaBearer = await harness.graphql<{ me: { username: string } }>(ME, {}, body.data.login.sessionToken);
    expect(viaBearer.data?.me.username).toBe('root');

    const cookiePair = cookie.split(';')[0] ?? '';
    const viaCookie = await fetch(`${harness.plane.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookiePair },
      body: JSON.stringify({ query: ME }),
    });
    const cookieBody = (await viaCookie.json()) as { data: { me: { username: string } } };
    expect(cookieBody.data.me.username).toBe('root');
  });

  it('gives the same UNAUTHENTICATED error for a wrong password and an unknown user', async () => {
    const wrongPassword = await harness.graphql('mutation { login(input: {username: "root", password: "not-the-password"}) { sessionToken } }');
    const unknownUser = await harness.graphql('mutation { login(input: {username: "nobody", password: "not-the-password"}) { sessionToken } }');
    expect(errorCode(wrongPassword)).toBe('UNAUTHENTICATED');
    expect(errorCode(unknownUser)).toBe('UNAUTHENTICATED');
    expect(wrongPassword.errors?.[0]?.message).toBe(unknownUser.errors?.[0]?.message);
  });

  it('answers me = null without a session and UNAUTHENTICATED on protected fields', async () => {
    const anonymous = await harness.graphql<{ me: null }>(ME);
    expect(anonymous.data?.me).toBeNull();
    const tokens = await harness.graphql('{ tokens { edges { node { id } } } }');
    expect(errorCode(tokens)).toBe('UNAUTHENTICATED');
  });

  it('logout ends the session', async () => {
    const session = await harness.login('root', ROOT_PASSWORD);
    const logout = await harness.graphql<{ logout: boolean }>('mutation { logout }', {}, session);
    expect(logout.data?.logout).toBe(true);
    const after = await harness.graphql<{ me: null }>(ME, {}, session);
    expect(after.data?.me).toBeNull();
  });

  it('never stores the password in clear and audits logins', async () => {
    const { openDatabase, User, AuditLog } = await import('../src');
    const database = await openDatabase(harness.config.databaseUrl, { migrate: false });
    try {
      const em = database.orm.em.fork();
      const root = await em.findOneOrFail(User, { username: 'root' });
      expect(root.passwordHash).not.toContain(ROOT_PASSWORD);
      expect(root.passwordHash.startsWith('scrypt$')).toBe(true);
      const audits = await em.find(AuditLog, { action: { $in: ['session.login', 'session.login-failed'] } });
      expect(audits.length).toBeGreaterThanOrEqual(2);
      expect(JSON.stringify(audits)).not.toContain(ROOT_PASSWORD);
    } finally {
      await database.close();
    }
  });
});
