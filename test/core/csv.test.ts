import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from '../../services/core/csv.js';

describe('the CSV escaper', () => {
  it('quotes what a reader would split, trim or evaluate, and nothing else', () => {
    expect(csvField('plain text 粤B·D1234')).toBe('plain text 粤B·D1234');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(' padded ')).toBe('" padded "');
    expect(csvField('-3.25')).toBe('-3.25');
    expect(csvField('+1e-3')).toBe('+1e-3');
  });

  it('neutralises every cell a spreadsheet would evaluate, numbers aside', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('@sum')).toBe('"\'@sum"');
    expect(csvField('+86 755')).toBe('"\'+86 755"');
    expect(csvField("-1+cmd|' /C calc'!A0")).toBe("\"'-1+cmd|' /C calc'!A0\"");
    expect(csvField('\tx')).toBe('"\'\tx"');
    expect(csvField('\r=1')).toBe('"\'\r=1"');
  });

  it('keeps NULL and the empty string apart', () => {
    expect(csvRecord([null, '', 'x'])).toBe(',"",x');
  });
});
