import { describe, expect, it } from 'vitest';
import { KINDS } from '../../engine/kinds/index.ts';
import { helpBlocks } from './help-text.ts';

describe('help text blocks', () => {
  it('joins a sentence broken over lines, and starts a paragraph after a full stop', () => {
    expect(helpBlocks('The model has two\nvariables. It fires.\nA new one.')).toEqual([
      { type: 'text', text: 'The model has two variables. It fires.' },
      { type: 'text', text: 'A new one.' },
    ]);
  });

  it('puts indented lines in an equation block, one equation per piece split at wide gaps', () => {
    expect(helpBlocks('Dynamics:\n  τ dV/dt = −V + I      (held while refractory)\n  τe dI/dt = −I,   τi dJ/dt = −J\nThen text.')).toEqual([
      { type: 'text', text: 'Dynamics:' },
      { type: 'math', lines: ['τ dV/dt = −V + I', '(held while refractory)', 'τe dI/dt = −I,', 'τi dJ/dt = −J'] },
      { type: 'text', text: 'Then text.' },
    ]);
  });

  it('keeps every word of every kind’s help', () => {
    for (const k of KINDS) {
      const words = (s: string) => s.split(/\s+/).filter(Boolean);
      const shown = helpBlocks(k.help).flatMap((b) => (b.type === 'text' ? words(b.text) : b.lines.flatMap(words)));
      expect(shown, k.id).toEqual(words(k.help));
    }
  });
});
