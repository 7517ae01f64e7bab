/**
 * Where the pointer is over the canvas, in flow coordinates, for commands that place
 * things "here" (paste, quick-add). Session state, outside the document and the store:
 * it changes on every mouse move and nothing renders from it. The Canvas registers
 * the conversion from screen to flow coordinates.
 */
import type { XY } from '../store/editor.ts';

interface PointerState {
  /** Last pointer position over the canvas (client pixels), or null when it left. */
  screen: XY | null;
  toFlow: ((p: XY) => XY) | null;
  /** The centre of the visible canvas, in flow coordinates. */
  centre: (() => XY) | null;
}

export const canvasPointer: PointerState = { screen: null, toFlow: null, centre: null };

/** Where "here" is: the pointer over the canvas, else the centre of the view, else the origin. */
export function placeHere(): XY {
  const { screen, toFlow, centre } = canvasPointer;
  if (screen && toFlow) return toFlow(screen);
  return centre?.() ?? { x: 0, y: 0 };
}
