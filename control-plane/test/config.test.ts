import { resolve } from 'node:path';
import { ConfigError, loadControlPlaneConfig, parseDatabaseUrl } from '../src';

const base = { CRYPTO_SECRET: '0123456789abcdef' };

describe('loadControlPlaneConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadControlPlaneConfig(base);
    expect(config).toMatchObject({ host: '0.0.0.0', port: 3001, redisUrl: 'redis://127.0.0.1:6379', adminPassword: null, allowPrivateUpstreams: false, cookieSecure: false });
    expect(config.databaseUrl).toBe(`sqlite:${resolve('data/nebulagate.db')}`);
    expect(config.adminUiDir).toBe(resolve('admin-ui/dist'));
  });

  it('accepts new-api aliases SQL_DSN and REDIS_CONN_STRING', () => {
    const config = loadControlPlaneConfig({ ...base, SQL_DSN: 'postgresql://user:pass@db:5432/ng', REDIS_CONN_STRING: 'redis://cache:6379' });
    expect(config.databaseUrl).toBe('postgresql://user:pass@db:5432/ng');
    expect(config.redisUrl).toBe('redis://cache:6379');
  });

  it.each([
    [{}, 'CRYPTO_SECRET'],
    [{ CRYPTO_SECRET: 'short' }, 'CRYPTO_SECRET'],
    [{ ...base, DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ ...base, SQL_DSN: 'nonsense' }, 'SQL_DSN'],
    [{ ...base, CONTROL_PLANE_PORT: '70000' }, 'CONTROL_PLANE_PORT'],
    [{ ...base, ALLOW_PRIVATE_UPSTREAMS: 'maybe' }, 'ALLOW_PRIVATE_UPSTREAMS'],
    [{ ...base, REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ ...base, ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'],
  ])('names the bad variable (%o)', (env, variable) => {
    let thrown: unknown;
    try {
      loadControlPlaneConfig(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe(variable);
  });
});

describe('parseDatabaseUrl', () => {
  it.each([
    ['sqlite:./data/nebulagate.db', { kind: 'sqlite', target: resolve('data/nebulagate.db') }],
    ['sqlite:///var/lib/ng.db', { kind: 'sqlite', target: '/var/lib/ng.db' }],
    ['./data/x.sqlite', { kind: 'sqlite', target: resolve('data/x.sqlite') }],
    ['postgres://u:p@h:5432/d', { kind: 'postgresql', target: 'postgres://u:p@h:5432/d' }],
    ['postgresql://u@h/d', { kind: 'postgresql', target: 'postgresql://u@h/d' }],
  ])('%s', (value, expected) => {
    expect(parseDatabaseUrl(value)).toEqual(expected);
  });
});
