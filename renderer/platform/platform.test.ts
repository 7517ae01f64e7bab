import { describe, expect, it, vi } from 'vitest';
import type { DesktopApi } from '../../electron/api.ts';
import { electronPlatform } from './platform.ts';

describe('electronPlatform', () => {
  it('saves a binary export (e.g. NPZ) through the shell with its exact bytes, not as a download', async () => {
    const exportBytes = vi.fn(async (_bytes: Uint8Array, name: string) => ({ path: `/out/${name}`, name }));
    const platform = electronPlatform({ exportBytes } as unknown as DesktopApi);
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]);
    const written = await platform.exportBlob(new Blob([bytes], { type: 'application/octet-stream' }), 'raster.npz');
    expect(written).toEqual({ path: '/out/raster.npz', name: 'raster.npz' });
    expect(exportBytes).toHaveBeenCalledTimes(1);
    expect([...exportBytes.mock.calls[0][0]]).toEqual([...bytes]);
    expect(exportBytes.mock.calls[0][1]).toBe('raster.npz');
  });

  it('answers null when the save dialog was cancelled', async () => {
    const platform = electronPlatform({ exportBytes: async () => null } as unknown as DesktopApi);
    expect(await platform.exportBlob(new Blob(['t,x\n']), 'raster.csv')).toBeNull();
  });

  it('keeps run history through the shell for a saved document', async () => {
    const historyList = vi.fn(async () => [{ id: 'r1', createdAt: '2026-11-29T04:00:00.000Z' }]);
    const platform = electronPlatform({ historyList } as unknown as DesktopApi);
    const list = await platform.runHistory!.list({ path: '/d/net.spikeflow.json', key: '/d/net.spikeflow.json' });
    expect(list.map((e) => e.id)).toEqual(['r1']);
    expect(historyList).toHaveBeenCalledWith('/d/net.spikeflow.json');
  });
});
