import { z } from 'zod';

/** A BCM GPIO number (the numbers on pinout diagrams, not sysfs numbers). */
const pin = z.number().int().min(0).max(53);
const i2cAddress = z.number().int().min(0x03).max(0x77);

const gpioSection = z
  .strictObject({
    /** Where sysfs is (the GPIO chips are read from <sysfs>/class/gpio). */
    sysfs: z.string().min(1).default('/sys'),
    /** The SoC's GPIO chip: the one whose label starts with this (pinctrl-bcm2711, pinctrl-rp1). */
    chipLabel: z.string().min(1).default('pinctrl-'),
  })
  .prefault({});

const ledsSection = z
  .union([
    z.literal('none'),
    z.strictObject({
      green: pin,
      amber: pin,
      red: pin,
      /** LEDs wired from 3.3 V to the pin light when it is low. */
      activeLow: z.boolean().default(false),
    }),
  ])
  .default('none');

const buttonSection = z
  .union([
    z.literal('none'),
    z.strictObject({
      pin,
      /** A button to ground with a pull-up (config.txt: gpio=<pin>=ip,pu) reads low when pressed. */
      activeLow: z.boolean().default(true),
      debounceMs: z.number().int().min(0).max(500).default(30),
      /** Held this long: safe shutdown. */
      longPressMs: z.number().int().min(1000).max(20_000).default(3000),
    }),
  ])
  .default('none');

const panelSection = z
  .union([
    z.literal('none'),
    z.strictObject({
      type: z.literal('ssd1680'),
      spi: z
        .strictObject({
          bus: z.number().int().min(0).default(0),
          device: z.number().int().min(0).default(0),
          speedHz: z.number().int().min(100_000).max(20_000_000).default(4_000_000),
        })
        .prefault({}),
      pins: z
        .strictObject({
          dc: pin.default(25),
          rst: pin.default(17),
          busy: pin.default(24),
          /** Panel supply switch on newer HAT revisions (BCM 18); leave out if not fitted. */
          power: pin.optional(),
        })
        .prefault({}),
      /** 90: Waveshare's orientation; 270 if the screen reads upside down. */
      rotation: z.union([z.literal(90), z.literal(270)]).default(90),
      /** A full refresh (flash) at most this often, except for the final frame before power-off. */
      fullRefreshSeconds: z.number().int().min(10).max(3600).default(180),
      /** Progress is redrawn (partial refresh) at most this often. */
      partialRefreshSeconds: z.number().min(1).max(600).default(10),
      busyTimeoutMs: z.number().int().min(100).max(60_000).default(10_000),
    }),
  ])
  .default('none');

const upsSection = z
  .union([
    z.literal('none'),
    z.strictObject({
      gauge: z.literal('ina219'),
      bus: z.number().int().min(0).default(1),
      address: i2cAddress.default(0x42),
      cells: z.number().int().min(1).max(4).default(2),
      shuntOhms: z.number().positive().max(10).default(0.01),
      maxAmps: z.number().positive().max(30).default(5),
      chargingCurrent: z.enum(['positive', 'negative']).default('positive'),
      mainsPin: pin.optional(),
    }),
    z.strictObject({
      gauge: z.enum(['max17048', 'max17040']),
      bus: z.number().int().min(0).default(1),
      address: i2cAddress.default(0x36),
      /** High while mains power is present (UPS-Lite: BCM 4; X120x: BCM 6). */
      mainsPin: pin.optional(),
    }),
  ])
  .default('none');

const powerSection = z
  .strictObject({
    /** How often the gauge is read. */
    pollSeconds: z.number().min(1).max(600).default(10),
    /** On battery at or below this: warned on screen and LED, sync paused. */
    lowPercent: z.number().min(1).max(90).default(20),
    /** On battery at or below this: safe shutdown. */
    shutdownPercent: z.number().min(1).max(50).default(8),
    /** The command that turns the box off. */
    command: z.array(z.string().min(1)).min(1).default(['systemctl', 'poweroff']),
  })
  .prefault({})
  .refine((p) => p.shutdownPercent < p.lowPercent, {
    message: 'shutdownPercent must be below lowPercent',
    path: ['shutdownPercent'],
  });

const drivesSection = z
  .strictObject({
    /** drivelist (the box) or lsblk (also sees loop devices: disk images, tests). */
    lister: z.enum(['drivelist', 'lsblk']).default('drivelist'),
    /** How often the kernel's partition list is looked at (the full listing runs only on change). */
    pollMs: z.number().int().min(1000).max(60_000).default(1000),
    /** Cards and SSDs are mounted below this folder. */
    mountRoot: z.string().min(1).default('/run/fieldbackup/media'),
    /** The SSDs this box writes to, by vault id; empty: any vault plugged in. */
    vaultIds: z.array(z.string().min(1)).default([]),
    /** A new card is mounted after it has been there this long (readers settle). */
    settleMs: z.number().int().min(0).max(10_000).default(500),
  })
  .prefault({});

const tetherSection = z
  .strictObject({
    /** Back up a camera plugged in by USB (PTP), shot by shot. */
    usb: z.boolean().default(true),
    /** How long a camera may be gone before its session ends (it resumes if it comes back sooner). */
    graceSeconds: z.number().int().min(1).max(600).default(30),
  })
  .prefault({});

const networkSection = z
  .strictObject({
    /** How often the Wi-Fi and the NAS are looked at for the home sync (issue 8's `sync` section). */
    pollSeconds: z.number().min(1).max(3600).default(30),
  })
  .prefault({});

/** The `hardware` section: what is fitted, where, and how the box behaves on power and drives. */
export const hardwareSection = z
  .strictObject({
    gpio: gpioSection,
    leds: ledsSection,
    button: buttonSection,
    panel: panelSection,
    ups: upsSection,
    power: powerSection,
    drives: drivesSection,
    tether: tetherSection,
    network: networkSection,
  })
  .prefault({});

export type HardwareConfig = z.output<typeof hardwareSection>;
export type PanelConfig = Exclude<HardwareConfig['panel'], 'none'>;
export type UpsConfig = Exclude<HardwareConfig['ups'], 'none'>;
