/**
 * Godot-style unique sibling names (docs/scene-model.md R-NAME). Names that differ only in trailing
 * digits form a *family* ("Box", "Box2", "Box17"); collisions are resolved inside a family, so a change
 * costs the size of one family, never of all siblings.
 */

const INVALID_NAME_CHARS = /[.:@/"%]/g;

/** A valid Godot node name for `requested` (R-NAME-2). */
export function sanitizeName(requested: string, fallback: string): string {
  const cleaned = requested.replace(INVALID_NAME_CHARS, '_');
  return cleaned === '' ? fallback : cleaned;
}

/** The family of a name: the name without its trailing digits. */
export const nameFamily = (name: string): string => name.replace(/\d+$/, '');

/** A member of a family as the resolver sees it. */
export interface FamilyMember {
  readonly id: string;
  readonly requested: string;
  readonly lamport: number;
}

const byPriority = (a: FamilyMember, b: FamilyMember): number =>
  a.lamport - b.lamport || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The siblings of one parent whose names share a family, with the bookkeeping that keeps resolution
 * proportional to the collisions, not to the family's size (R-NAME-1): by ascending `(lamport, id)`, a
 * member keeps its requested name unless an earlier member requests the same; the others, in that
 * order, get serial names (`base2`, `base3`, … or counting on from their own trailing number), each
 * above the previous serial of the same base and never one that a member requests.
 */
export class NameFamily {
  private readonly members = new Map<string, string>();
  private readonly byName = new Map<string, Set<string>>();
  private readonly colliding = new Set<string>();
  private serialHolders = new Set<string>();

  get size(): number {
    return this.members.size;
  }

  add(id: string, requested: string): void {
    this.members.set(id, requested);
    let ids = this.byName.get(requested);
    if (!ids) this.byName.set(requested, (ids = new Set()));
    ids.add(id);
    if (ids.size > 1) this.colliding.add(requested);
  }

  remove(id: string, requested: string): void {
    if (!this.members.delete(id)) return;
    const ids = this.byName.get(requested);
    if (!ids) return;
    ids.delete(id);
    if (ids.size < 2) this.colliding.delete(requested);
    if (ids.size === 0) this.byName.delete(requested);
  }

  /**
   * Names for every member whose name may have changed: the colliding ones, the former serial holders
   * and the `touched` members.
   */
  resolve(touched: ReadonlySet<string>, memberInfo: (id: string) => FamilyMember): Map<string, string> {
    const result = new Map<string, string>();
    const losers: FamilyMember[] = [];
    for (const name of this.colliding) {
      const sorted = [...this.byName.get(name)!].map(memberInfo).sort(byPriority);
      result.set(sorted[0]!.id, name);
      losers.push(...sorted.slice(1));
    }
    losers.sort(byPriority);
    const assigned = new Set<string>();
    const holders = new Set<string>();
    // Serial numbers are handed out in priority order, each above the previous one of the same base,
    // so a dense family ("Enemy" ×1000) is resolved in one pass instead of a search per member.
    const lastSerial = new Map<string, number>();
    for (const member of losers) {
      const match = /^(.*?)(\d+)$/.exec(member.requested);
      const base = match ? match[1]! : member.requested;
      let n = Math.max(match ? Number(match[2]) + 1 : 2, (lastSerial.get(base) ?? 0) + 1);
      let candidate = `${base}${n}`;
      while (assigned.has(candidate) || this.byName.has(candidate)) candidate = `${base}${++n}`;
      lastSerial.set(base, n);
      assigned.add(candidate);
      holders.add(member.id);
      result.set(member.id, candidate);
    }
    for (const id of [...this.serialHolders, ...touched]) {
      const requested = this.members.get(id);
      if (requested !== undefined && !result.has(id)) result.set(id, requested);
    }
    this.serialHolders = holders;
    return result;
  }
}
