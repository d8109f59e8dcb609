import type { CaptureFacts, TierRule } from './tier-rule.js';
import type { TierRuleConfig } from './config.js';
import { folderMatcher, folderOf } from './folder-pattern.js';

type Condition = (facts: CaptureFacts) => boolean;

/** A rule of the config file as a function: its tier when every condition it gives holds. */
export function compileRule(rule: TierRuleConfig): TierRule {
  const conditions = conditionsOf(rule);
  return (facts) => (conditions.every((holds) => holds(facts)) ? rule.tier : undefined);
}

function conditionsOf(rule: TierRuleConfig): Condition[] {
  const out: Condition[] = [];
  const { minRating, label, keywords, folder, kind, serial } = rule;
  if (minRating !== undefined) out.push((f) => f.rating !== undefined && f.rating >= minRating);
  if (rule.protected !== undefined) {
    const wanted = rule.protected;
    out.push((f) => f.entries.some((e) => e.protected) === wanted);
  }
  if (rule.tethered !== undefined) {
    const wanted = rule.tethered;
    out.push((f) => f.entries.some((e) => e.tethered === true) === wanted);
  }
  if (label !== undefined) {
    const wanted = lowerSet(label);
    out.push((f) => f.label !== undefined && wanted.has(f.label.toLowerCase()));
  }
  if (keywords !== undefined) {
    const wanted = lowerSet(keywords);
    out.push((f) => (f.keywords ?? []).some((k) => wanted.has(k.toLowerCase())));
  }
  if (folder !== undefined) {
    const matchers = folder.map(folderMatcher);
    out.push((f) =>
      f.entries.some((e) => matchers.some((matches) => matches(folderOf(e.relPath)))),
    );
  }
  if (kind !== undefined) {
    const wanted = new Set<string>(kind);
    out.push((f) => f.kind !== undefined && wanted.has(f.kind));
  }
  if (serial !== undefined) {
    const wanted = new Set(serial.map((s) => s.trim()));
    out.push((f) => f.serial !== undefined && wanted.has(f.serial.trim()));
  }
  return out;
}

function lowerSet(values: readonly string[]): Set<string> {
  return new Set(values.map((v) => v.trim().toLowerCase()));
}
