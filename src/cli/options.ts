import { Option } from 'commander';

/** Wraps a command's action: its exit code becomes the program's, a thrown error is reported. */
export type Guard = <A extends unknown[]>(
  fn: (...args: A) => Promise<number>,
) => (...args: A) => Promise<void>;

/** For options given once per value (`--vault a --vault b`). */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const homeOption = (): Option =>
  new Option(
    '--home <dir>',
    'catalog folder (default $FIELDBACKUP_HOME, else ~/.local/share/fieldbackup)',
  );

/** The SSD vaults a command writes to: at least one, given once per vault. */
export const vaultOption = (): Option =>
  new Option('--vault <dir>', 'a vault (repeat for each SSD)')
    .argParser(collect)
    .makeOptionMandatory();
