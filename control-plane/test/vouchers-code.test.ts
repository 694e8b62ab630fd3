// Table tests for voucher codes (generation, normalisation, keyed hash, hint) and the CSV writer.
import { CANONICAL_PATTERN, generateVoucherCode, hashVoucherCode, normalizeVoucherCode, voucherCodeHint } from '../src/modules/voucher/voucher-code';
import { csvCell, toCsv } from '../src/modules/voucher/voucher-csv';

describe('generateVoucherCode', () => {
  it('maps random bytes onto the Crockford alphabet in groups of four, after the prefix', () => {
    const bytes = Buffer.from(Array.from({ length: 20 }, (_, index) => index * 13));
    expect(generateVoucherCode('GIFT', () => bytes)).toBe('GIFT-0DT7-M1EV-8N2F-W9P3-GXAQ');
    expect(generateVoucherCode(null, () => Buffer.alloc(20, 255))).toBe('ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ');
  });

  it('gives distinct, canonical codes from real randomness', () => {
    const codes = Array.from({ length: 200 }, () => generateVoucherCode('NG'));
    expect(new Set(codes).size).toBe(200);
    for (const code of codes) expect(CANONICAL_PATTERN.test(normalizeVoucherCode(code))).toBe(true);
  });
});

describe('normalizeVoucherCode', () => {
  it.each([
    ['ng-abcd-efgh', 'NGABCDEFGH'],
    ['  NG ABCD\tEFGH ', 'NGABCDEFGH'],
    ['ＮＧ－ＡＢＣＤ', 'NGABCD'],
    ['welcome--2026', 'WELCOME2026'],
  ])('%p -> %p', (input, expected) => {
    expect(normalizeVoucherCode(input)).toBe(expected);
  });
});

describe('hashVoucherCode', () => {
  it('is keyed: the same code hashes differently under another secret', () => {
    const one = hashVoucherCode('WELCOME2026', 'secret-one-0123456789');
    expect(one).toMatch(/^[0-9a-f]{64}$/);
    expect(hashVoucherCode('WELCOME2026', 'secret-one-0123456789')).toBe(one);
    expect(hashVoucherCode('WELCOME2026', 'secret-two-0123456789')).not.toBe(one);
  });
});

describe('voucherCodeHint', () => {
  it.each([
    ['NG-ABCD-EFGH-JKMN-PQRS-TVWX', 'NG-…TVWX'],
    ['ABCD-EFGH-JKMN-PQRS-TVWX', 'ABCD-…TVWX'],
    ['WELCOME2026', 'WE…2026'],
  ])('%p -> %p', (code, hint) => {
    expect(voucherCodeHint(code)).toBe(hint);
  });
});

describe('csv', () => {
  it.each<[string | number | boolean | null, string]>([
    ['plain', 'plain'],
    [null, ''],
    [42, '42'],
    [true, 'true'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['@cmd', "'@cmd"],
    [-5, '-5'],
  ])('csvCell(%p) -> %p', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes a header and CRLF rows', () => {
    expect(toCsv(['code', 'amount'], [['A', 1], ['B', null]])).toBe('code,amount\r\nA,1\r\nB,\r\n');
  });
});
