import { OUTCOMES, type Decision, type Outcome, type RuleOutcome } from './decision.js'
import { ReliefError } from './errors.js'
import type { RuleId } from './reasons.js'

/** How many decisions went from one outcome to another (`from === to` counts the unchanged). */
export interface OutcomeTransition {
  readonly from: Outcome
  readonly to: Outcome
  readonly count: number
}

/** A rule result that changed. `absent`: the rule was not evaluated on that side (e.g. a programme not in force). */
export interface RuleChange {
  /** `application` or the policy record id (version-independent, so v2 → v3 of a programme compares). */
  readonly scope: string
  readonly rule: RuleId
  readonly from: RuleOutcome | 'absent'
  readonly to: RuleOutcome | 'absent'
}

/** A {@link RuleChange} with the number of decisions it happened in. */
export interface RuleDifference extends RuleChange {
  readonly count: number
}

/** One application whose outcome, programme, mandatory flag or any rule result changed. */
export interface DecisionChange {
  /** Position in the arrays compared. */
  readonly index: number
  /** The borrower: an enterprise's USCC, or a natural person's pseudonymous id. */
  readonly uscc?: string
  readonly borrowerId?: string
  readonly loanId: string
  readonly from: Outcome
  readonly to: Outcome
  /** `id@version` of the programme applied, or `null`. */
  readonly programmeFrom: string | null
  readonly programmeTo: string | null
  readonly mandatoryFrom: boolean
  readonly mandatoryTo: boolean
  readonly rules: readonly RuleChange[]
}

/** Summary of how outcomes change between two decision runs over the same applications. */
export interface OutcomeComparison {
  readonly total: number
  /** Decisions whose outcome changed. */
  readonly outcomeChanged: number
  readonly before: Readonly<Record<Outcome, number>>
  readonly after: Readonly<Record<Outcome, number>>
  /** Every from → to pair that occurs, in {@link OUTCOMES} order. */
  readonly transitions: readonly OutcomeTransition[]
  /** Rule changes aggregated over all decisions, most frequent first, then by scope and rule. */
  readonly ruleDifferences: readonly RuleDifference[]
  /** Decisions with any difference, in input order. */
  readonly changes: readonly DecisionChange[]
}

const programmeKey = (decision: Decision): string | null =>
  decision.programme === null ? null : `${decision.programme.id}@${decision.programme.version}`

/**
 * Compares two runs of {@link decide} over the same applications, `before[i]` and `after[i]` being
 * the same application (replay under the recorded versions vs a draft version, say). Pure.
 *
 * Rules are matched on scope (the record id, not its version) and rule id, so a draft version of a
 * programme is compared rule by rule with the version it would replace.
 *
 * @throws ReliefError `invalid-argument` when the lengths differ or a pair concerns different loans,
 *   dates or relief kinds.
 */
export function compareOutcomes(before: readonly Decision[], after: readonly Decision[]): OutcomeComparison {
  if (before.length !== after.length) {
    throw new ReliefError('invalid-argument', `cannot compare ${before.length} decisions with ${after.length}`)
  }
  const count = (): Record<Outcome, number> => ({ APPROVED: 0, DECLINED: 0, REFERRED: 0 })
  const totals = { before: count(), after: count() }
  const transitions = new Map<string, number>()
  const differences = new Map<string, RuleDifference>()
  const changes: DecisionChange[] = []
  let outcomeChanged = 0

  before.forEach((a, index) => {
    const b = after[index] as Decision
    if (
      a.subject.uscc !== b.subject.uscc ||
      a.subject.borrowerId !== b.subject.borrowerId ||
      a.subject.loanId !== b.subject.loanId ||
      a.applicationDate !== b.applicationDate ||
      a.relief !== b.relief
    ) {
      throw new ReliefError('invalid-argument', `decision ${index} concerns different applications: ${a.subject.loanId}@${a.applicationDate} vs ${b.subject.loanId}@${b.applicationDate}`)
    }
    totals.before[a.outcome] += 1
    totals.after[b.outcome] += 1
    const key = `${a.outcome}>${b.outcome}`
    transitions.set(key, (transitions.get(key) ?? 0) + 1)
    if (a.outcome !== b.outcome) outcomeChanged += 1

    const results = (decision: Decision): Map<string, { scope: string; rule: RuleId; result: RuleOutcome }> =>
      new Map(decision.rules.map((r) => [`${r.scope}\u0000${r.rule}`, { scope: r.scope, rule: r.rule, result: r.result }]))
    const left = results(a)
    const right = results(b)
    const ruleChanges: RuleChange[] = []
    for (const k of [...new Set([...left.keys(), ...right.keys()])].sort()) {
      const l = left.get(k)
      const r = right.get(k)
      const from = l?.result ?? 'absent'
      const to = r?.result ?? 'absent'
      if (from === to) continue
      const scope = (l ?? r)?.scope as string
      const rule = (l ?? r)?.rule as RuleId
      ruleChanges.push({ scope, rule, from, to })
      const dk = `${k}\u0000${from}\u0000${to}`
      const seen = differences.get(dk)
      differences.set(dk, { scope, rule, from, to, count: (seen?.count ?? 0) + 1 })
    }
    if (a.outcome !== b.outcome || programmeKey(a) !== programmeKey(b) || a.mandatory !== b.mandatory || ruleChanges.length > 0) {
      changes.push({
        index,
        ...(a.subject.uscc === undefined ? { borrowerId: a.subject.borrowerId } : { uscc: a.subject.uscc }),
        loanId: a.subject.loanId,
        from: a.outcome,
        to: b.outcome,
        programmeFrom: programmeKey(a),
        programmeTo: programmeKey(b),
        mandatoryFrom: a.mandatory,
        mandatoryTo: b.mandatory,
        rules: ruleChanges,
      })
    }
  })

  const transitionList: OutcomeTransition[] = []
  for (const from of OUTCOMES) {
    for (const to of OUTCOMES) {
      const n = transitions.get(`${from}>${to}`)
      if (n !== undefined) transitionList.push({ from, to, count: n })
    }
  }
  const ruleDifferences = [...differences.values()].sort(
    (x, y) =>
      y.count - x.count ||
      (x.scope < y.scope ? -1 : x.scope > y.scope ? 1 : 0) ||
      (x.rule < y.rule ? -1 : x.rule > y.rule ? 1 : 0) ||
      (x.from < y.from ? -1 : x.from > y.from ? 1 : 0) ||
      (x.to < y.to ? -1 : x.to > y.to ? 1 : 0),
  )
  return { total: before.length, outcomeChanged, before: totals.before, after: totals.after, transitions: transitionList, ruleDifferences, changes }
}
