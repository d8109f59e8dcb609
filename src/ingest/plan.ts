import { DEFAULT_TIER, type SourceEntry, type TierName } from '../core/index.js';
import { localWallClock, type PlanTagReader, type PlanTags } from '../media/index.js';
import { captureKindOf, tierRank, type CaptureFacts, type TierRule } from '../tiers/index.js';

/** One file of the copy plan, with what the path template and the tier rule needed. */
export interface PlannedFile {
  readonly entry: SourceEntry;
  /** Files with the same folder and stem (IMG_0001.CR2, .JPG, .XMP, .WAV) form one capture. */
  readonly captureKey: string;
  readonly tier: TierName;
  /** The camera's wall clock, or the file's mtime on the box's clock when the file has none. */
  readonly captureTime: Date;
  readonly camera?: string;
}

export interface PlanOptions {
  readonly tierRule: TierRule;
  readonly tierOrder?: readonly TierName[];
  readonly tags?: PlanTagReader;
  /** A local path for an entry, when ExifTool can read it there. */
  readonly localPath?: (entry: SourceEntry) => string;
}

/** Groups files into captures, decides each capture's tier and returns the copy order: tier first, then card order. */
export async function planIngest(
  entries: readonly SourceEntry[],
  options: PlanOptions,
): Promise<PlannedFile[]> {
  const tagsByPath = await readTags(entries, options);
  const captures = new Map<string, SourceEntry[]>();
  for (const entry of entries) {
    const key = captureKeyOf(entry.relPath);
    const list = captures.get(key) ?? [];
    list.push(entry);
    captures.set(key, list);
  }
  const planned: PlannedFile[] = [];
  for (const [key, members] of captures) {
    const tags = members
      .map((e) => tagsByPath.get(e.relPath))
      .filter((t): t is PlanTags => t !== undefined);
    const tier = options.tierRule(captureFacts(members, tags)) ?? DEFAULT_TIER;
    const withTime = tags.find((t) => t.captureTime !== undefined);
    const withCamera = tags.find((t) => t.model !== undefined);
    for (const entry of members) {
      const own = tagsByPath.get(entry.relPath);
      const captureTime =
        own?.captureTime?.wallClock ??
        withTime?.captureTime?.wallClock ??
        entry.captureTime ??
        localWallClock(new Date(entry.mtimeMs));
      const camera = own?.model ?? withCamera?.model;
      planned.push({
        entry,
        captureKey: key,
        tier,
        captureTime,
        ...(camera === undefined ? {} : { camera }),
      });
    }
  }
  const order = new Map(entries.map((e, i) => [e.relPath, i]));
  return planned.sort(
    (a, b) =>
      tierRank(a.tier, options.tierOrder) - tierRank(b.tier, options.tierOrder) ||
      (order.get(a.entry.relPath) ?? 0) - (order.get(b.entry.relPath) ?? 0),
  );
}

export function captureKeyOf(relPath: string): string {
  const slash = relPath.lastIndexOf('/');
  const name = relPath.slice(slash + 1);
  const dot = name.indexOf('.');
  return `${relPath.slice(0, slash + 1)}${dot > 0 ? name.slice(0, dot) : name}`.toLowerCase();
}

function captureFacts(entries: readonly SourceEntry[], tags: readonly PlanTags[]): CaptureFacts {
  const ratings = tags.map((t) => t.rating).filter((r): r is number => r !== undefined);
  const keywords = [...new Set(tags.flatMap((t) => t.keywords ?? []))];
  const label = tags.find((t) => t.label !== undefined)?.label;
  const serial = tags.find((t) => t.serial !== undefined)?.serial;
  return {
    entries,
    kind: captureKindOf(entries.map((e) => e.relPath)),
    ...(ratings.length > 0 ? { rating: Math.max(...ratings) } : {}),
    ...(label === undefined ? {} : { label }),
    ...(keywords.length > 0 ? { keywords } : {}),
    ...(serial === undefined ? {} : { serial }),
  };
}

async function readTags(
  entries: readonly SourceEntry[],
  options: PlanOptions,
): Promise<Map<string, PlanTags>> {
  const { tags, localPath } = options;
  if (tags === undefined || localPath === undefined) return new Map();
  const byLocal = new Map(entries.map((e) => [localPath(e), e.relPath]));
  const read = await tags.read([...byLocal.keys()]);
  return new Map([...read].map(([path, t]) => [byLocal.get(path) ?? path, t]));
}
