/** Where a document stops being well-formed XML, or `undefined` if it is. */
export interface XmlProblem {
  readonly offset: number;
  readonly message: string;
}

/** An element as the checker saw it: name and attributes, in document order. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const ENTITY = /^&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/;

/**
 * A small XML well-formedness check, enough for the demo's HTML page (written as XHTML-style
 * markup) and its SVG: one root element; tags nest and close; attribute values quoted, not
 * repeated, without a raw `<` or stray `&`; comments, a DOCTYPE and an XML declaration allowed;
 * text without a raw `<` or stray `&`. Calls `onElement` for each start tag. No DTDs, no CDATA
 * handling beyond skipping it.
 */
export function checkWellFormedXml(
  text: string,
  onElement?: (element: XmlElement) => void,
): XmlProblem | undefined {
  const stack: string[] = [];
  let offset = 0;
  let rootSeen = false;
  const problem = (message: string): XmlProblem => ({ offset, message });

  while (offset < text.length) {
    const next = text.indexOf('<', offset);
    const textEnd = next < 0 ? text.length : next;
    const textProblem = checkText(text.slice(offset, textEnd));
    if (textProblem !== undefined)
      return { offset: offset + textProblem.offset, message: textProblem.message };
    if (stack.length === 0 && text.slice(offset, textEnd).trim() !== '') {
      return problem('text outside the root element');
    }
    if (next < 0) break;
    offset = next;

    if (text.startsWith('<!--', offset)) {
      const end = text.indexOf('-->', offset + 4);
      if (end < 0) return problem('unterminated comment');
      offset = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', offset)) {
      const end = text.indexOf(']]>', offset);
      if (end < 0 || stack.length === 0) return problem('misplaced or unterminated CDATA');
      offset = end + 3;
      continue;
    }
    if (text.startsWith('<!DOCTYPE', offset) || text.startsWith('<!doctype', offset)) {
      if (rootSeen) return problem('DOCTYPE after the root element');
      const end = text.indexOf('>', offset);
      if (end < 0) return problem('unterminated DOCTYPE');
      offset = end + 1;
      continue;
    }
    if (text.startsWith('<?', offset)) {
      const end = text.indexOf('?>', offset);
      if (end < 0) return problem('unterminated processing instruction');
      offset = end + 2;
      continue;
    }
    if (text.startsWith('</', offset)) {
      const name = NAME.exec(text.slice(offset + 2))?.[0];
      if (name === undefined) return problem('bad end tag');
      const end = text.indexOf('>', offset);
      if (end < 0 || text.slice(offset + 2 + name.length, end).trim() !== '')
        return problem('bad end tag');
      const open = stack.pop();
      if (open !== name) return problem(`</${name}> closes <${open ?? 'nothing'}>`);
      offset = end + 1;
      continue;
    }

    // A start tag or an empty-element tag.
    const name = NAME.exec(text.slice(offset + 1))?.[0];
    if (name === undefined) return problem('bad start tag');
    if (stack.length === 0 && rootSeen) return problem('a second root element');
    rootSeen = true;
    let cursor = offset + 1 + name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      const whitespace = /^\s*/.exec(text.slice(cursor))?.[0] ?? '';
      cursor += whitespace.length;
      if (text.startsWith('/>', cursor)) {
        onElement?.({ name, attributes });
        offset = cursor + 2;
        break;
      }
      if (text.startsWith('>', cursor)) {
        onElement?.({ name, attributes });
        stack.push(name);
        offset = cursor + 1;
        break;
      }
      if (whitespace === '') return { offset: cursor, message: `bad attribute list in <${name}>` };
      const attribute = NAME.exec(text.slice(cursor))?.[0];
      if (attribute === undefined) return { offset: cursor, message: `bad attribute in <${name}>` };
      cursor += attribute.length;
      const equals = /^\s*=\s*/.exec(text.slice(cursor))?.[0];
      if (equals === undefined)
        return { offset: cursor, message: `attribute ${attribute} has no value` };
      cursor += equals.length;
      const quote = text[cursor];
      if (quote !== '"' && quote !== "'")
        return { offset: cursor, message: `unquoted value of ${attribute}` };
      const close = text.indexOf(quote, cursor + 1);
      if (close < 0) return { offset: cursor, message: `unterminated value of ${attribute}` };
      const value = text.slice(cursor + 1, close);
      if (value.includes('<'))
        return { offset: cursor, message: `raw < in the value of ${attribute}` };
      const valueProblem = checkText(value);
      if (valueProblem !== undefined) return { offset: cursor, message: valueProblem.message };
      if (Object.hasOwn(attributes, attribute)) {
        return { offset: cursor, message: `attribute ${attribute} repeated in <${name}>` };
      }
      attributes[attribute] = value;
      cursor = close + 1;
    }
  }
  if (stack.length > 0) return problem(`<${stack[stack.length - 1] ?? ''}> is never closed`);
  if (!rootSeen) return problem('no root element');
  return undefined;
}

/** Every `&` in character data must start an entity or character reference. */
function checkText(text: string): XmlProblem | undefined {
  let index = text.indexOf('&');
  while (index >= 0) {
    if (!ENTITY.test(text.slice(index))) return { offset: index, message: 'stray &' };
    index = text.indexOf('&', index + 1);
  }
  return undefined;
}
