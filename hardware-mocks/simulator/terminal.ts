import type { Writable } from 'node:stream';
import { boxStatusLines, ledPatterns, type BoxStatus, type LedPattern } from '../../src/index.js';
import type { SimulatedBox } from './box.js';
import { SIM_PINS } from './box.js';

const COLORS = ['green', 'amber', 'red'] as const;
const ANSI: Record<(typeof COLORS)[number], string> = {
  green: '\x1b[32m',
  amber: '\x1b[33m',
  red: '\x1b[31m',
};

function patternText(p: LedPattern): string {
  if (p.kind !== 'blink') return p.kind;
  if (p.onMs === p.offMs)
    return p.onMs <= 125 ? 'fast blink' : p.onMs >= 1000 ? 'slow blink' : 'blink';
  return 'heartbeat';
}

/**
 * The LEDs in the terminal, live: on a TTY one line redrawn on every edge the GPIO pins see
 * (the lamps blink as the real ones would); in a log, a line whenever a pattern or the card
 * phase changes. The LED state is read from the simulated GPIO pins, not from the status, so
 * what is shown is what the LED driver did.
 */
export class TerminalView {
  private readonly stops: (() => void)[] = [];
  private lastLine = '';
  private lastStatus: BoxStatus | undefined;

  constructor(
    private readonly out: Writable & { isTTY?: boolean },
    private readonly sim: SimulatedBox,
  ) {}

  start(): void {
    if (this.out.isTTY === true)
      this.stops.push(
        this.sim.board.onOutput((bcm) => {
          if (COLORS.some((c) => SIM_PINS[c] === bcm)) this.drawLamps();
        }),
      );
    this.stops.push(this.sim.box.onStatus((s) => this.onStatus(s)));
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
    if (this.out.isTTY === true) this.out.write('\n');
  }

  /** A line of narration, above the live lamps. */
  say(line: string): void {
    this.out.write(`${this.out.isTTY === true ? '\r\x1b[2K' : ''}» ${line}\n`);
    if (this.out.isTTY === true) this.drawLamps();
  }

  private drawLamps(): void {
    const lamps = COLORS.map((c) =>
      this.sim.board.level(SIM_PINS[c]) === 1 ? `${ANSI[c]}●\x1b[0m ${c}` : `○ ${c}`,
    ).join('  ');
    const s = this.lastStatus;
    this.out.write(
      `\r\x1b[2K${lamps}   ${s === undefined ? '' : (boxStatusLines(s)[1] ?? '').trim()}`,
    );
  }

  private onStatus(s: BoxStatus): void {
    this.lastStatus = s;
    if (this.out.isTTY === true) {
      this.drawLamps();
      return;
    }
    const patterns = ledPatterns(s);
    const line = `LEDs: ${COLORS.map((c) => `${c} ${patternText(patterns[c])}`).join(', ')} | ${(boxStatusLines(s)[1] ?? '').trim()}`;
    // A log gets a line per change of lamps or phase, not one per progress tick.
    const key = `${JSON.stringify(patterns)} ${s.mode} ${s.card.phase} ${s.tether.phase} ${s.sync.phase}`;
    if (key === this.lastLine) return;
    this.lastLine = key;
    this.out.write(`${line}\n`);
  }
}
