import { describe, expect, it } from 'vitest';
import { checkWellFormedXml, type XmlElement } from './well-formed-xml.js';

describe('checkWellFormedXml', () => {
  it('accepts well-formed documents and reports their elements', () => {
    const elements: XmlElement[] = [];
    const text =
      '<!DOCTYPE html>\n<html lang="en"><!-- note --><body><svg width="1"><rect x="0" data-a=\'b &amp; c\'/></svg><p>a &lt; b &#60; &#x3C;</p></body></html>\n';
    expect(checkWellFormedXml(text, (element) => elements.push(element))).toBeUndefined();
    expect(elements.map((element) => element.name)).toEqual(['html', 'body', 'svg', 'rect', 'p']);
    expect(elements[3]?.attributes).toEqual({ x: '0', 'data-a': 'b &amp; c' });
  });

  it.each([
    ['<a><b></a></b>', 'closes'],
    ['<a>', 'never closed'],
    ['<a x=1/>', 'unquoted'],
    ['<a x="1" x="2"/>', 'repeated'],
    ['<a>&nbsp;</a>', 'stray &'],
    ['<a>1 & 2</a>', 'stray &'],
    ['<a/><b/>', 'second root'],
    ['text<a/>', 'outside'],
    ['<a x="<"/>', 'raw <'],
    ['<a><!-- open</a>', 'unterminated comment'],
    ['', 'no root'],
    ['<a y="1"z="2"/>', 'bad attribute list'],
  ])('rejects %j', (text, message) => {
    expect(checkWellFormedXml(text)?.message).toContain(message);
  });
});
