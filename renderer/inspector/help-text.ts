/**
 * A kind's help text, split for display: prose paragraphs (which wrap) and
 * equation lines (monospace, one equation per line). Kinds write help as lines
 * joined by `\n`; an indented line is an equation line, and equations on one
 * line are separated by three or more spaces. Prose lines are one paragraph
 * until a line ends a sentence. Pure.
 */

export type HelpBlock = { readonly type: 'text'; readonly text: string } | { readonly type: 'math'; readonly lines: readonly string[] };

export function helpBlocks(help: string): HelpBlock[] {
  const out: ({ type: 'text'; text: string } | { type: 'math'; lines: string[] })[] = [];
  let paragraphOpen = false;
  for (const raw of help.split('\n')) {
    if (/^\s{2,}\S/.test(raw)) {
      const last = out[out.length - 1];
      const pieces = raw.trim().split(/\s{3,}/);
      if (last?.type === 'math') last.lines.push(...pieces);
      else out.push({ type: 'math', lines: pieces });
      paragraphOpen = false;
      continue;
    }
    const line = raw.trim();
    if (line === '') {
      paragraphOpen = false;
      continue;
    }
    const last = out[out.length - 1];
    if (paragraphOpen && last?.type === 'text') last.text = `${last.text} ${line}`;
    else out.push({ type: 'text', text: line });
    paragraphOpen = !/[.!?:]$/.test(line);
  }
  return out;
}
