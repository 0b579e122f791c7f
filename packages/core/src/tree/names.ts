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
  /** Requested name → the member holding it, or the set of members when several request it. */
  private readonly byName = new Map<string, string | Set<string>>();
  private readonly colliding = new Set<string>();
  private serialHolders: Set<string> | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** True when some members share a requested name (so some hold serial names). */
  get hasCollisions(): boolean {
    return this.colliding.size > 0;
  }

  /** True when adding a member requesting `name` needs no resolution (no collision before or after). */
  isFreeFor(name: string): boolean {
    return this.colliding.size === 0 && !this.byName.has(name);
  }

  add(id: string, requested: string): void {
    const held = this.byName.get(requested);
    if (held === undefined) this.byName.set(requested, id);
    else if (typeof held === 'string') {
      if (held === id) return;
      this.byName.set(requested, new Set([held, id]));
      this.colliding.add(requested);
    } else {
      if (held.has(id)) return;
      held.add(id);
    }
    this.count++;
  }

  remove(id: string, requested: string): void {
    const held = this.byName.get(requested);
    if (held === undefined) return;
    if (typeof held === 'string') {
      if (held !== id) return;
      this.byName.delete(requested);
    } else {
      if (!held.delete(id)) return;
      if (held.size === 1) {
        this.byName.set(requested, [...held][0]!);
        this.colliding.delete(requested);
      }
    }
    this.count--;
  }

  private isMember(id: string, requested: string): boolean {
    const held = this.byName.get(requested);
    return held === id || (typeof held === 'object' && held.has(id));
  }

  /**
   * Names for every member whose name may have changed: the colliding ones, the former serial holders
   * and the `touched` members.
   */
  resolve(touched: ReadonlySet<string>, memberInfo: (id: string) => FamilyMember | null): Map<string, string> {
    const result = new Map<string, string>();
    const losers: FamilyMember[] = [];
    for (const name of this.colliding) {
      const sorted = [...(this.byName.get(name) as Set<string>)].map((id) => memberInfo(id)!).sort(byPriority);
      result.set(sorted[0]!.id, name);
      losers.push(...sorted.slice(1));
    }
    losers.sort(byPriority);
    // Serial numbers are handed out in priority order, each above the previous one of the same base,
    // so a dense family ("Enemy" ×1000) is resolved in one pass instead of a search per member.
    const assigned = new Set<string>();
    const holders = new Set<string>();
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
    for (const id of [...(this.serialHolders ?? []), ...touched]) {
      if (result.has(id)) continue;
      const member = memberInfo(id);
      if (member && this.isMember(id, member.requested)) result.set(id, member.requested);
    }
    this.serialHolders = holders.size > 0 ? holders : null;
    return result;
  }
}
