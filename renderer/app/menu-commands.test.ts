import { afterEach, describe, expect, it, vi } from 'vitest';
import { handleMenuCommand, type AppServices } from './actions.ts';
import { Editor } from '../store/editor.ts';
import { newDocument } from '../../engine/format/load.ts';

/** A minimal DOM: the focused element, and the element classes the field check uses. */
class FakeElement {
  isContentEditable = false;
}
class FakeInput extends FakeElement {
  type = 'text';
}

function setUp(active: FakeElement | null) {
  const execCommand = vi.fn();
  vi.stubGlobal('HTMLElement', FakeElement);
  vi.stubGlobal('HTMLInputElement', FakeInput);
  vi.stubGlobal('HTMLTextAreaElement', class extends FakeElement {});
  vi.stubGlobal('HTMLSelectElement', class extends FakeElement {});
  vi.stubGlobal('document', { activeElement: active, execCommand });
  const editor = new Editor(newDocument('Test'));
  const a = editor.addNode('poisson-source', { x: 0, y: 0 });
  const b = editor.addNode('lif-curr-exp', { x: 300, y: 0 });
  editor.setSelection({ nodes: [], edges: [] });
  const app = { editor } as unknown as AppServices;
  return { editor, app, execCommand, ids: [a, b] };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the desktop menu's select-all command", () => {
  it('selects every node on the canvas when no field has focus', () => {
    const { editor, app, execCommand, ids } = setUp(null);
    handleMenuCommand('select-all', app);
    expect([...editor.state.selection.nodes].sort()).toEqual([...ids].sort());
    expect(execCommand).not.toHaveBeenCalled();
  });

  it('selects the text of a focused field instead, leaving the canvas selection alone', () => {
    const { editor, app, execCommand } = setUp(new FakeInput());
    handleMenuCommand('select-all', app);
    expect(execCommand).toHaveBeenCalledWith('selectAll');
    expect(editor.state.selection.nodes).toEqual([]);
  });
});
