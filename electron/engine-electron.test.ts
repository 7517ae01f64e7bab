import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ENGINE_CONNECT_MESSAGE } from './engine-host.ts';
import { createEngineSupervisor } from './engine-electron.ts';
import { resetFakeElectron, utilityProcess, type BrowserWindow, type FakeUtilityProcess } from './fake-electron.ts';
import { createMainWindow } from './window.ts';

vi.mock('electron', () => import('./fake-electron.ts'));

beforeEach(() => resetFakeElectron());

function windowWithEngine() {
  const supervisor = createEngineSupervisor('/app/dist-electron/engine-host.cjs');
  const shell = createMainWindow({
    preloadPath: '/app/dist-electron/preload.cjs',
    url: 'app://spikeflow/index.html',
    connectEngine: (receiver) => supervisor.connect(receiver),
    onClosed: (closed) => supervisor.disconnect(closed.enginePort),
  });
  const contents = (shell.window as unknown as BrowserWindow).webContents;
  const child = (i: number) => utilityProcess.fork.mock.results[i].value as FakeUtilityProcess;
  return { supervisor, shell, contents, child };
}

describe('the engine utility process (Electron faked)', () => {
  it('is forked from the bundled engine host when the window asks, and the two ends of one channel are handed over', () => {
    const { shell, contents, child } = windowWithEngine();
    expect(utilityProcess.fork).not.toHaveBeenCalled();
    shell.requestEnginePort();
    expect(utilityProcess.fork).toHaveBeenCalledTimes(1);
    expect(utilityProcess.fork.mock.calls[0][0]).toBe('/app/dist-electron/engine-host.cjs');
    const [message, transfer] = child(0).postMessage.mock.calls[0] as [unknown, { name: string }[]];
    expect(message).toEqual(ENGINE_CONNECT_MESSAGE);
    expect(transfer).toHaveLength(1);
    expect(contents.posted).toHaveLength(1);
    const windowEnd = contents.posted[0];
    expect(windowEnd.channel).toBe('spikeflow:engine-port');
    // The engine and the window got the two ends of the same channel.
    expect(transfer[0].name.replace('engine-end-', '')).toBe((windowEnd.ports[0] as { name: string }).name.replace('window-end-', ''));
  });

  it('is restarted when it crashes, and the window gets a port to the new process', () => {
    const { shell, contents, child } = windowWithEngine();
    shell.requestEnginePort();
    child(0).emit('exit', 134);
    expect(utilityProcess.fork).toHaveBeenCalledTimes(2);
    expect(child(1).postMessage).toHaveBeenCalledTimes(1);
    expect(contents.posted).toHaveLength(2);
    expect(contents.posted[1].ports[0]).not.toBe(contents.posted[0].ports[0]);
  });

  it('is not restarted after the window closed, nor after the app disposed it', () => {
    const { shell, child } = windowWithEngine();
    shell.requestEnginePort();
    shell.window.close();
    child(0).emit('exit', 1);
    expect(utilityProcess.fork).toHaveBeenCalledTimes(1);

    const second = windowWithEngine();
    second.shell.requestEnginePort();
    second.supervisor.dispose();
    expect(second.child(1).kill).toHaveBeenCalled();
    expect(utilityProcess.fork).toHaveBeenCalledTimes(2);
  });
});
