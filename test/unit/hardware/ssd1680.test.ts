import { describe, expect, it } from 'vitest';
import { FAST_TIMINGS, SimulatedSsd1680 } from '../../../hardware-mocks/epaper/ssd1680-sim.js';
import { SimulatedGpioBoard } from '../../../hardware-mocks/gpio/board.js';
import {
  GpioNumbering,
  GpioPins,
  INITIAL_STATUS,
  renderFrame,
  sameFrame,
  Ssd1680Panel,
  systemClock,
  type BoxStatus,
} from '../../../src/index.js';
import { tempDir } from '../../helpers/tmp.js';

const PINS = { dc: 25, rst: 17, busy: 24 };

async function panelOnBus(busyMs = FAST_TIMINGS.fullMs) {
  const dir = await tempDir();
  const board = new SimulatedGpioBoard();
  await board.writeSysfs(dir);
  const pins = new GpioPins(await GpioNumbering.detect(dir), board.Gpio);
  const chip = new SimulatedSsd1680(board, PINS, 90, { ...FAST_TIMINGS, fullMs: busyMs });
  const panel = new Ssd1680Panel(
    chip,
    { dc: pins.output(PINS.dc), rst: pins.output(PINS.rst), busy: pins.input(PINS.busy) },
    {
      rotation: 90,
      busyTimeoutMs: 200,
      speedHz: 4_000_000,
      clock: systemClock,
      delay: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    },
  );
  return { chip, panel };
}

const status = (change: Partial<BoxStatus>): BoxStatus => ({
  ...INITIAL_STATUS,
  mode: 'running',
  ...change,
});

describe('SSD1680 e-paper driver, checked by the simulated controller', () => {
  it('full then partial refresh: the controller shows exactly the frames sent, with no protocol mistake, then sleeps', async () => {
    const { chip, panel } = await panelOnBus();
    const idle = await renderFrame(status({}));
    const copying = await renderFrame(
      status({
        card: {
          phase: 'copying',
          name: 'EOS_DIGITAL',
          progress: {
            files: 3,
            filesTotal: 24,
            bytes: 3e6,
            bytesTotal: 47e6,
            bytesPerSecond: 1e6,
            etaSeconds: 44,
          },
        },
      }),
    );
    await panel.show(idle, 'full');
    await panel.show(copying, 'partial');
    await panel.sleep();
    expect(chip.violations).toEqual([]);
    expect(chip.frames.map((f) => f.mode)).toEqual(['full', 'partial']);
    expect(sameFrame(chip.frames[0]?.frame, idle)).toBe(true);
    expect(sameFrame(chip.frames[1]?.frame, copying)).toBe(true);
    expect(sameFrame(idle, copying)).toBe(false);
    expect(chip.asleep).toBe(true);
    await panel.close();
  });

  it('a panel that stays busy is an error naming the timeout, not a hang', async () => {
    const { panel } = await panelOnBus(5_000);
    await expect(panel.show(await renderFrame(status({})), 'full')).rejects.toThrow(/busy/i);
  });
});
