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
    expect(csvField('=HYPERLINK("x")')).toBe('"=HYPERLINK(""x"")"');
    expect(csvField('@sum')).toBe('"@sum"');
    expect(csvField('-3.25')).toBe('-3.25');
    expect(csvField('+86 755')).toBe('"+86 755"');
  });

  it('keeps NULL and the empty string apart', () => {
    expect(csvRecord([null, '', 'x'])).toBe(',"",x');
  });
});
