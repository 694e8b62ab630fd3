import { openSecret, sealSecret } from '@nebulagate/schema';

const secret = 'a-test-crypto-secret-of-32-chars!';

describe('sealSecret / openSecret', () => {
  it('round-trips and never contains the plaintext', () => {
    const sealed = sealSecret('sk-upstream-key-123', secret);
    expect(sealed).not.toContain('sk-upstream-key-123');
    expect(openSecret(sealed, secret)).toBe('sk-upstream-key-123');
  });

  it('uses a fresh IV each time', () => {
    expect(sealSecret('same', secret)).not.toBe(sealSecret('same', secret));
  });

  it('refuses a wrong secret and a tampered ciphertext', () => {
    const sealed = sealSecret('sk-upstream-key-123', secret);
    expect(() => openSecret(sealed, 'another-secret-that-is-long')).toThrow();
    const parts = sealed.split('.');
    const tampered = [parts[0], parts[1], parts[2], Buffer.from('garbage').toString('base64url')].join('.');
    expect(() => openSecret(tampered, secret)).toThrow();
  });

  it('refuses a short secret', () => {
    expect(() => sealSecret('x', 'short')).toThrow(/CRYPTO_SECRET/);
  });
});
