import type { CalendarDate } from '@sme/domain'
import { AppError, canonicalJson } from '@sme/kit'
import {
  compareOutcomes,
  decide,
  isReliefError,
  policyAsOf,
  type Decision,
  type OutcomeComparison,
  type Outcome,
  type PolicySet,
  type PolicyVersion,
  type PolicyVersionRef,
  type RuleChange,
} from '../domain/index.js'
import { scoringContext, toDomainApplication, type ScoringInput } from '../convert.js'
import { asStored } from '../json.js'
import { policyFromRecord, type PolicyRecordJson } from '../policy-records.js'
import type { ApplicationInput } from '../schemas.js'
import type { ApplicationRow } from '../store/applications.js'
import { decidedApplications, decisionOf } from '../store/decisions.js'
import { policyVersionsByRefs } from '../store/policies.js'
import type { ReliefDb } from '../store/tables.js'
import { checkPolicyVersion, type PolicyCache } from './policies.js'

export interface ReplayReport {
  applicationId: string
  identical: boolean
  storedOutcome: Outcome
  replayedOutcome: Outcome
  policyVersions: PolicyVersionRef[]
  scoring: ScoringInput
  /** Rule results that differ (empty when identical). */
  differences: RuleChange[]
}

/**
 * Re-decides a stored application under exactly the policy versions its decision recorded and the
 * scoring input it used, whatever versions were added or activated since: the decision must be
 * identical (DESIGN: "re-running the same inputs against the same version gives the same result").
 */
export async function replayApplication(db: ReliefDb, row: ApplicationRow): Promise<ReplayReport> {
  const stored = await decisionOf(db, row.id)
  if (!stored) throw new AppError('conflict', `application ${row.id} has not been decided yet (${row.status})`)
  const refs = stored.policy_versions as PolicyVersionRef[]
  const rows = await policyVersionsByRefs(db, refs)
  if (rows.length !== refs.length) throw new AppError('conflict', `some policy versions of the decision of ${row.id} no longer exist`)
  const applicationDate = row.application_date as CalendarDate
  const scoring = stored.scoring as ScoringInput
  const replayed = decide(toDomainApplication(row.application as ApplicationInput), policyAsOf(rows.map((r) => policyFromRecord(r.definition)), applicationDate), {
    applicationDate,
    scoring: scoringContext(scoring),
  })
  const recorded = stored.decision
  // Compared as stored (JSON) with keys sorted: jsonb does not keep key order.
  const identical = canonicalJson(asStored(replayed)) === canonicalJson(recorded)
  return {
    applicationId: row.id,
    identical,
    storedOutcome: recorded.outcome,
    replayedOutcome: replayed.outcome,
    policyVersions: refs,
    scoring,
    differences: identical ? [] : (compareOutcomes([recorded], [replayed]).changes[0]?.rules ?? []).map((r) => ({ ...r })),
  }
}

export interface WhatIfCommand {
  drafts?: readonly { id: string; version: number }[] | undefined
  versions?: readonly PolicyRecordJson[] | undefined
  applicationIds?: readonly string[] | undefined
  from?: string | undefined
  to?: string | undefined
  limit: number
}

export interface WhatIfReport {
  evaluated: number
  /** True when `limit` cut the selection short. */
  limited: boolean
  overlay: PolicyVersionRef[]
  report: Omit<OutcomeComparison, 'changes' | 'transitions' | 'ruleDifferences'> & {
    transitions: OutcomeComparison['transitions'][number][]
    ruleDifferences: OutcomeComparison['ruleDifferences'][number][]
    changes: (Omit<OutcomeComparison['changes'][number], 'rules'> & { applicationId: string; rules: RuleChange[] })[]
  }
}

const refKey = (v: { id: string; version: number }) => `${v.id}@${v.version}`

/**
 * How outcomes would change under draft versions, before they are activated: each selected
 * application (decided ones only: their scoring input is known) is decided twice with the scoring
 * input it was decided with, under the active versions (what live decisions use today) and under
 * the active versions overlaid with the drafts (`policyAsOf` takes the highest version of each
 * record in force, so a draft v2 replaces the active v1 from its effective date). Reads only.
 */
export async function whatIf(db: ReliefDb, policies: PolicyCache, command: WhatIfCommand): Promise<WhatIfReport> {
  const draftRefs = command.drafts ?? []
  const inline = (command.versions ?? []).map((raw, i) => checkPolicyVersion(raw, `/body/versions/${i}`))
  if (draftRefs.length === 0 && inline.length === 0) {
    throw new AppError('validation_failed', 'name at least one draft version (drafts) or give one inline (versions)', {
      extra: { errors: [{ field: '/body/drafts', message: 'at least one draft or inline version is required' }] },
    })
  }
  const stored = await policyVersionsByRefs(db, draftRefs)
  const missing = draftRefs.filter((r) => !stored.some((s) => s.record_id === r.id && s.version === r.version))
  if (missing.length > 0) throw new AppError('not_found', `no policy version ${missing.map(refKey).join(', ')}`)
  const base = await policies.versions(db)
  const inBase = new Set(base.map(refKey))
  const overlayVersions: PolicyVersion[] = []
  for (const v of [...stored.map((r) => policyFromRecord(r.definition)), ...inline]) {
    if (inBase.has(refKey(v))) {
      if (stored.some((s) => s.record_id === v.id && s.version === v.version && s.status === 'active')) continue // already live
      throw new AppError('conflict', `version ${refKey(v)} already exists as an active version; give the draft a higher version`)
    }
    if (overlayVersions.some((o) => refKey(o) === refKey(v))) continue
    overlayVersions.push(v)
  }
  const overlay = [...base, ...overlayVersions]

  const selected = await decidedApplications(db, { ids: command.applicationIds, from: command.from, to: command.to, limit: command.limit })
  // The policy of each application date, once per date and side (policyAsOf validates what it selects).
  const sets = { live: new Map<string, PolicySet>(), draft: new Map<string, PolicySet>() }
  const setOf = (side: 'live' | 'draft', date: CalendarDate): PolicySet => {
    let set = sets[side].get(date)
    if (!set) {
      try {
        set = policyAsOf(side === 'live' ? base : overlay, date)
      } catch (err) {
        if (!isReliefError(err)) throw err
        const which = side === 'live' ? 'the active policy' : 'with the drafts laid over the active versions, the policy'
        throw new AppError('unprocessable', `${which} on ${date} is unusable: ${err.message}`)
      }
      sets[side].set(date, set)
    }
    return set
  }
  const before: Decision[] = []
  const after: Decision[] = []
  for (const row of selected) {
    const applicationDate = row.application_date as CalendarDate
    const application = toDomainApplication(row.application as ApplicationInput)
    const context = { applicationDate, scoring: scoringContext(row.scoring as ScoringInput) }
    before.push(decide(application, setOf('live', applicationDate), context))
    after.push(decide(application, setOf('draft', applicationDate), context))
  }
  const report = compareOutcomes(before, after)
  return {
    evaluated: selected.length,
    limited: selected.length === command.limit,
    overlay: overlayVersions.map((v) => ({ kind: v.kind, id: v.id, version: v.version })),
    report: {
      ...report,
      transitions: [...report.transitions],
      ruleDifferences: [...report.ruleDifferences],
      changes: report.changes.map((c) => ({ ...c, applicationId: selected[c.index]!.id, rules: [...c.rules] })),
    },
  }
}
