/**
 * A results panel's Export menu: PNG (the panel's canvas at device pixel ratio),
 * SVG (the data re-drawn as vector elements), CSV and NPZ of the monitor's data
 * in the CLI's layout (`engine/format/monitor-export.ts`). Files are saved
 * through the platform (a download in the browser).
 */
import { Dropdown } from '../ui/Dropdown.tsx';
import type { MenuItem } from '../ui/Dropdown.tsx';
import { useServices } from '../app/EditorContext.tsx';

/** What a panel can export; an absent builder hides its entry. */
export interface ExportSource {
  /** `export-<id>` is the menu button's test id; files are named `<id>.<ext>`. */
  readonly id: string;
  /** The drawn canvas, for PNG; without one the SVG is rasterised instead. */
  canvas(): HTMLCanvasElement | null;
  svg(): string;
  csv(): string;
  npz?(): Uint8Array;
}

/** The canvas's pixels on white (the plot itself is transparent), as PNG. */
function canvasPng(canvas: HTMLCanvasElement): Promise<Blob> {
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  return toPng(out);
}

function toPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the PNG'))), 'image/png'));
}

/** Rasterise SVG text at device pixel ratio (for panels without a canvas). */
async function svgPng(svg: string): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const dpr = window.devicePixelRatio || 1;
    const c = document.createElement('canvas');
    c.width = Math.round(img.naturalWidth * dpr);
    c.height = Math.round(img.naturalHeight * dpr);
    c.getContext('2d')!.drawImage(img, 0, 0, c.width, c.height);
    return await toPng(c);
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function ExportMenu({ source, disabled }: { source: ExportSource; disabled?: boolean }) {
  const { platform, editor } = useServices();
  const save = (ext: string, make: () => Blob | Promise<Blob>) => async () => {
    try {
      const blob = await make();
      const written = await platform.exportBlob(blob, `${source.id}.${ext}`);
      if (written) editor.setNotice({ level: 'info', text: `Exported ${written.name}` });
    } catch (e) {
      editor.setNotice({ level: 'error', text: `Export ${ext.toUpperCase()} of ${source.id} failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  };
  const items: MenuItem[] = [
    {
      key: 'png',
      label: 'PNG image',
      hint: 'pixels',
      testId: 'export-png',
      disabled,
      onSelect: save('png', () => {
        const c = source.canvas();
        return c ? canvasPng(c) : svgPng(source.svg());
      }),
    },
    { key: 'svg', label: 'SVG figure', hint: 'vector', testId: 'export-svg', disabled, onSelect: save('svg', () => new Blob([source.svg()], { type: 'image/svg+xml' })) },
    { key: 'csv', label: 'CSV data', hint: 'text', testId: 'export-csv', disabled, separatorBefore: true, onSelect: save('csv', () => new Blob([source.csv()], { type: 'text/csv' })) },
  ];
  const npz = source.npz;
  if (npz) {
    items.push({
      key: 'npz',
      label: 'NPZ data',
      hint: 'numpy.load',
      testId: 'export-npz',
      disabled,
      onSelect: save('npz', () => new Blob([npz.call(source) as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' })),
    });
  }
  return (
    <div className="sf-export">
      <Dropdown label="Export" title={disabled ? 'Run the network to export its results' : 'Save this panel as an image or its data'} items={items} testId={`export-${source.id}`} />
    </div>
  );
}
