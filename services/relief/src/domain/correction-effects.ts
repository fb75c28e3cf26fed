import type { OutcomeComparison, OutcomeTransition } from './compare.js'
import { OUTCOMES, type Decision } from './decision.js'
import type { PolicyVersion, PolicyVersionRef } from './policy.js'

/** Why a group of decisions changed between two policy generations, and how. */
export interface CorrectionEffect {
  /** `id@version` of the version that made the difference (a correction, or a record new in the later generation). */
  readonly version: string
  /** The correction's reason, or the new record's source. */
  readonly why: string
  /** Decisions it changed (outcome, programme, mandatory flag or a rule result). */
  readonly decisions: number
  /** Of which the outcome changed, by from → to. */
  readonly transitions: readonly OutcomeTransition[]
}

const key = (ref: Pick<PolicyVersionRef, 'id' | 'version'>): string => `${ref.id}@${ref.version}`

/**
 * Attributes each changed decision of `comparison` (the same applications decided under an earlier
 * generation of records, `before`, and a later one, `after`) to the versions of the later
 * generation that make the difference, and counts by version: for a decision, the versions it used
 * that correct a version the earlier decision used, and the versions it used that the earlier one
 * did not know, restricted to the records whose rules or programme changed (every version so found
 * when none of them did). `versions` holds both generations. A decision may count for several.
 */
export function correctionEffects(comparison: OutcomeComparison, before: readonly Decision[], after: readonly Decision[], versions: readonly PolicyVersion[]): CorrectionEffect[] {
  const byKey = new Map(versions.map((v) => [key(v), v]))
  const effects = new Map<string, { why: string; decisions: number; transitions: Map<string, number> }>()
  for (const change of comparison.changes) {
    const earlier = before[change.index]!
    const later = after[change.index]!
    const used = new Set(earlier.policyVersions.map(key))
    const usedIds = new Set(earlier.policyVersions.map((v) => v.id))
    const candidates: { ref: string; why: string; id: string }[] = []
    // A correction for natural persons only changes no enterprise's decision: for those, the version
    // it corrects stands in for it (the one that made whatever difference there is).
    const bears = (v: PolicyVersion): boolean => v.corrects?.naturalPersonsOnly !== true || later.borrowerKind === 'person'
    const standIn = (v: PolicyVersion | undefined): PolicyVersion | undefined => {
      let current = v
      while (current !== undefined && !bears(current)) current = byKey.get(`${current.id}@${Math.max(...current.corrects!.versions)}`)
      return current
    }
    for (const ref of later.policyVersions) {
      const v = standIn(byKey.get(key(ref)))
      if (v === undefined || used.has(key(v))) continue
      const at = key(v)
      const corrected = v.corrects?.versions.some((n) => used.has(`${v.id}@${n}`)) === true
      if (corrected) candidates.push({ ref: at, why: v.corrects!.reason, id: v.id })
      else if (!usedIds.has(v.id)) candidates.push({ ref: at, why: `new record: ${v.source}`, id: v.id })
      else if (v.corrects !== undefined) candidates.push({ ref: at, why: v.corrects.reason, id: v.id })
      // A later version that corrects nothing supersedes by date (40号's renewal for truck drivers).
      else candidates.push({ ref: at, why: `new version in force from ${v.effectiveFrom}: ${v.source}`, id: v.id })
    }
    // A version the earlier decision used that the later generation corrected away entirely (the
    // 2021 use of the 2020-06 programme): its correction is a reason too, though not used later.
    for (const ref of earlier.policyVersions) {
      const correction = versions.find((v) => v.id === ref.id && v.corrects?.versions.includes(ref.version) === true && bears(v))
      if (correction !== undefined && !candidates.some((c) => c.ref === key(correction))) candidates.push({ ref: key(correction), why: correction.corrects!.reason, id: correction.id })
    }
    const touched = new Set([...change.rules.map((r) => r.scope), change.programmeFrom?.split('@')[0], change.programmeTo?.split('@')[0]])
    const relevant = candidates.filter((c) => touched.has(c.id))
    for (const c of relevant.length > 0 ? relevant : candidates) {
      const effect = effects.get(c.ref) ?? { why: c.why, decisions: 0, transitions: new Map<string, number>() }
      effect.decisions += 1
      if (change.from !== change.to) effect.transitions.set(`${change.from}>${change.to}`, (effect.transitions.get(`${change.from}>${change.to}`) ?? 0) + 1)
      effects.set(c.ref, effect)
    }
  }
  return [...effects]
    .map(([version, e]) => ({
      version,
      why: e.why,
      decisions: e.decisions,
      transitions: OUTCOMES.flatMap((from) => OUTCOMES.flatMap((to) => (e.transitions.has(`${from}>${to}`) ? [{ from, to, count: e.transitions.get(`${from}>${to}`)! }] : []))),
    }))
    .sort((a, b) => b.decisions - a.decisions || (a.version < b.version ? -1 : 1))
}
