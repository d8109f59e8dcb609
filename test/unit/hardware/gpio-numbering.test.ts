import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PI4_KERNEL_66,
  PI5_KERNEL_66,
  SimulatedGpioBoard,
} from '../../../hardware-mocks/gpio/board.js';
import { GpioLed, GpioNumbering, GpioPins } from '../../../src/index.js';
import { tempDir } from '../../helpers/tmp.js';

describe('GPIO numbering from sysfs', () => {
  it.each([
    ['Pi 4', PI4_KERNEL_66],
    ['Pi 5', PI5_KERNEL_66],
  ])(
    '%s: BCM pins map to the header chip’s sysfs numbers, so an LED lights the right pin',
    async (_name, chips) => {
      const dir = await tempDir();
      const board = new SimulatedGpioBoard(chips);
      await board.writeSysfs(dir);
      const numbering = await GpioNumbering.detect(dir);
      expect(numbering.sysfs(5)).toBe(board.header.base + 5);
      const led = new GpioLed(new GpioPins(numbering, board.Gpio), 5, false);
      led.set(true);
      expect(board.level(5)).toBe(1);
      led.set(false);
      expect(board.level(5)).toBe(0);
      const inverted = new GpioLed(new GpioPins(numbering, board.Gpio), 6, true);
      inverted.set(true);
      expect(board.level(6)).toBe(0);
    },
  );

  it('a pin the chip does not have is a config error; no header chip names what it found', async () => {
    const dir = await tempDir();
    await new SimulatedGpioBoard(PI4_KERNEL_66).writeSysfs(dir);
    const numbering = await GpioNumbering.detect(dir);
    expect(() => numbering.sysfs(60)).toThrow(/GPIO 60 does not exist/);
    const empty = join(dir, 'none');
    await fs.mkdir(join(empty, 'class', 'gpio'), { recursive: true });
    await expect(GpioNumbering.detect(empty)).rejects.toMatchObject({
      code: 'E_HARDWARE',
      subject: { field: 'hardware.gpio.chipLabel' },
    });
  });
});
