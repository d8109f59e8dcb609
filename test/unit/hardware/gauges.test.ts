import { describe, expect, it } from 'vitest';
import { SimulatedBattery } from '../../../hardware-mocks/i2c/battery.js';
import { SimulatedI2cBus } from '../../../hardware-mocks/i2c/bus.js';
import { Ina219Chip, Max17048Chip } from '../../../hardware-mocks/i2c/chips.js';
import { Ina219Gauge, Max17048Gauge } from '../../../src/index.js';

const ina = {
  address: 0x42,
  cells: 2,
  shuntOhms: 0.01,
  maxAmps: 5,
  chargingCurrent: 'positive',
} as const;
const frozen = (o: { percent: number; onMains: boolean }): SimulatedBattery =>
  new SimulatedBattery({ ...o, now: () => 0 });

describe('UPS fuel gauges on the simulated I2C bus', () => {
  it('INA219: pack voltage, current with its sign, mains from the current, a charge estimate that follows the voltage', async () => {
    const battery = frozen({ percent: 60, onMains: false });
    const bus = new SimulatedI2cBus().attach(0x42, new Ina219Chip(battery, 0.01));
    const gauge = new Ina219Gauge(bus, 1, ina);
    await gauge.init();
    const onBattery = await gauge.read();
    expect(onBattery.volts).toBeCloseTo(battery.volts, 1);
    expect(onBattery.amps).toBeCloseTo(-1.5, 1);
    expect(onBattery.onMains).toBe(false);
    battery.plug(true);
    const charging = await gauge.read();
    expect(charging.amps).toBeCloseTo(1.0, 1);
    expect(charging.onMains).toBe(true);
    battery.plug(false);
    battery.set(15);
    const low = await gauge.read();
    expect(low.percent).toBeLessThan(onBattery.percent);
    expect(low.percent).toBeGreaterThanOrEqual(0);
    expect(gauge.description).toBe('INA219 at 0x42 on i2c-1');
  });

  it('INA219 wired the other way round (charging reads negative): configured, mains is still right', async () => {
    const battery = frozen({ percent: 80, onMains: true });
    const bus = new SimulatedI2cBus().attach(0x42, new Ina219Chip(battery, 0.01, -1));
    const gauge = new Ina219Gauge(bus, 1, { ...ina, chargingCurrent: 'negative' });
    await gauge.init();
    expect(await gauge.read()).toMatchObject({ onMains: true });
  });

  it('MAX17048: the chip’s own charge, voltage per cell times nothing else, and no reset of its estimate', async () => {
    const battery = frozen({ percent: 42, onMains: false });
    const chip = new Max17048Chip(battery);
    const bus = new SimulatedI2cBus().attach(0x36, chip);
    const gauge = new Max17048Gauge(bus, 1, { address: 0x36, chip: 'max17048' });
    await gauge.init();
    const r = await gauge.read();
    expect(r.percent).toBeCloseTo(42, 0);
    expect(r.volts).toBeGreaterThan(3.3);
    expect(r.volts).toBeLessThan(4.3);
    expect(chip.estimateResets).toEqual([]);
  });

  it('a gauge that is not on the bus is named in the error, not read as 0 %', async () => {
    const bus = new SimulatedI2cBus();
    const gauge = new Ina219Gauge(bus, 1, ina);
    await expect(gauge.init()).rejects.toMatchObject({
      code: 'E_HARDWARE',
      message: expect.stringContaining('INA219 at 0x42') as unknown,
    });
    const max = new Max17048Gauge(bus, 1, { address: 0x36, chip: 'max17048' });
    await expect(max.init()).rejects.toMatchObject({ code: 'E_HARDWARE' });
  });
});
