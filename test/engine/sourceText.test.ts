import * as assert from 'assert';
import { SourceText } from '../../server/src/engine/text/sourceText';

describe('SourceText positions (LSP: UTF-16, any line break)', () => {
  it('maps offsets inside a CRLF break to the end of the line (a comment node includes the \\r)', () => {
    const text = new SourceText('# marker\r\nop.x()\r\n');
    assert.deepStrictEqual(text.positionAt(9), { line: 0, character: 8 });
    assert.deepStrictEqual(text.positionAt(10), { line: 1, character: 0 });
  });

  it('counts UTF-16 code units and treats \\r, \\n and \\r\\n as line breaks', () => {
    const text = new SourceText('é😀x\rb\nc');
    assert.deepStrictEqual(text.positionAt(3), { line: 0, character: 3 });
    assert.deepStrictEqual(text.positionAt(5), { line: 1, character: 0 });
    assert.strictEqual(text.offsetAt({ line: 2, character: 0 }), 7);
    assert.strictEqual(text.lineCount, 3);
  });
});
