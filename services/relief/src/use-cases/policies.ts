import { sql } from 'kysely'
import { AppError } from '@sme/kit'
import { addDays, type CalendarDate } from '@sme/domain'
import {
  DEFAULT_POLICY_VERSIONS,
  deepFreeze,
  inWindow,
  isReliefError,
  policyAsOf,
  validatePolicyVersions,
  type PolicyKind,
  type PolicySet,
  type PolicyVersion,
} from '../domain/index.js'
import { policyFromRecord, type PolicyRecordJson } from '../policy-records.js'
import { appendAudit } from '../store/audit.js'
import { activePolicyVersions, allPolicyRows, insertPolicyVersion, markActive, policyStamp, policyVersionForUpdate, type PolicyRow } from '../store/policies.js'
import type { ReliefDb, ReliefTx } from '../store/tables.js'

/**
 * The active policy versions, re-read only when their stamp moves (one small query per decision
 * instead of every version's definition), with the policy set of each application date memoised:
 * `policyAsOf` validates the versions it selects, which is the larger share of a decision's cost.
 * Every instance sees an added or activated version on its next decision.
 */
interface ActivePolicies {
  stamp: string
  /** When the stamp was last read, on the cache's monotonic clock. */
  checkedAt: number
  versions: readonly PolicyVersion[]
  sets: Map<string, PolicySet>
}

export class PolicyCache {
  #active: ActivePolicies | undefined
  #refreshing: Promise<ActivePolicies> | undefined
  #generation = 0
  readonly #recentMs: number
  readonly #clock: () => number

  /**
   * @param options.recentMs how old a stamp {@link asOfRecent} may trust (default 1 s)
   * @param options.clock monotonic milliseconds (default `performance.now`): staleness is process
   *   time, not the business clock a test may have frozen
   */
  constructor(options: { recentMs?: number; clock?: () => number } = {}) {
    this.#recentMs = options.recentMs ?? 1_000
    this.#clock = options.clock ?? (() => performance.now())
  }

  async #load(db: ReliefDb | ReliefTx, maxAgeMs = 0): Promise<ActivePolicies> {
    const at = this.#clock()
    if (this.#active && maxAgeMs > 0 && at - this.#active.checkedAt < maxAgeMs) return this.#active
    if (maxAgeMs > 0) {
      // One refresh at a time: the requests that find the stamp old together wait for one read.
      if (!this.#refreshing) {
        const refreshing: Promise<ActivePolicies> = this.#read(db, at).finally(() => {
          if (this.#refreshing === refreshing) this.#refreshing = undefined
        })
        this.#refreshing = refreshing
      }
      return this.#refreshing
    }
    return this.#read(db, at)
  }

  async #read(db: ReliefDb | ReliefTx, at: number): Promise<ActivePolicies> {
    const generation = this.#generation
    const stamp = await policyStamp(db)
    const active = this.#active?.stamp === stamp ? this.#active : { stamp, checkedAt: at, versions: deepFreeze(await activePolicyVersions(db)), sets: new Map<string, PolicySet>() }
    // A read that began before an invalidate() may have seen the registry as it was: it answers
    // its own callers but is not trusted by later ones.
    if (generation === this.#generation) {
      this.#active = active
      active.checkedAt = at
    }
    return active
  }

  #setOf(active: ActivePolicies, date: CalendarDate): PolicySet {
    let set = active.sets.get(date)
    if (!set) {
      set = policyAsOf(active.versions, date)
      if (active.sets.size >= 5_000) active.sets.clear()
      active.sets.set(date, set)
    }
    return set
  }

  async versions(db: ReliefDb | ReliefTx): Promise<readonly PolicyVersion[]> {
    return (await this.#load(db)).versions
  }

  /**
   * The active policy in force on `date`, as stored now: what a decision is made under.
   * @throws ReliefError `no-policy` / `invalid-policy` (see {@link policyProblem}).
   */
  async asOf(db: ReliefDb | ReliefTx, date: CalendarDate): Promise<PolicySet> {
    return this.#setOf(await this.#load(db), date)
  }

  /**
   * The same, trusting a stamp this instance read within `recentMs`: for intake, which takes only
   * the answer deadline from it, at hundreds of requests a second. A version another instance
   * activates is seen within `recentMs`; one this instance activates at once ({@link invalidate}).
   */
  async asOfRecent(db: ReliefDb | ReliefTx, date: CalendarDate): Promise<PolicySet> {
    return this.#setOf(await this.#load(db, this.#recentMs), date)
  }

  /** Forget the stamp: the registry changed (this instance added or activated a version). */
  invalidate(): void {
    this.#generation += 1
    this.#refreshing = undefined
    if (this.#active) this.#active.checkedAt = Number.NEGATIVE_INFINITY
  }
}

/** HTTP face of a policy that cannot decide an application: 422 naming the date, never a 500. */
export function policyProblem(err: unknown): never {
  if (isReliefError(err) && (err.code === 'no-policy' || err.code === 'invalid-policy')) {
    throw new AppError('unprocessable', `no usable policy: ${err.message}`)
  }
  throw err
}

const REGISTRY_LOCK = sql`select pg_advisory_xact_lock(hashtext('relief-policy-registry'))`

/**
 * How the shipped versions the registry does not hold yet are installed: `active` (they apply from
 * the next decision), or `draft` (an admin of the bank activates each: the platform proposed it, the
 * bank's admin confirms it — the same four eyes as for a version an admin adds). Into an empty
 * registry they are always installed active: without them no decision could be made.
 */
export type ShippedPolicies = 'active' | 'draft'

/**
 * Installs the shipped default versions (POLICY §1–2) once: versions already stored are left alone
 * (insert … on conflict do nothing), so restarts and several instances starting together change
 * nothing. Returns how many it installed, and as what.
 */
export async function seedDefaultPolicies(tx: ReliefTx, now: Date, shipped: ShippedPolicies = 'active'): Promise<{ installed: number; status: ShippedPolicies }> {
  await REGISTRY_LOCK.execute(tx)
  const empty = (await tx.selectFrom('policy_versions').select('record_id').limit(1).executeTakeFirst()) === undefined
  const status = empty ? 'active' : shipped
  let installed = 0
  for (const policy of DEFAULT_POLICY_VERSIONS) {
    if (!(await insertPolicyVersion(tx, policy, status, 'system', now))) continue
    installed++
    await appendAudit(tx, { at: now, actor: 'system', action: 'policy.seeded', details: { id: policy.id, version: policy.version, status } })
  }
  return { installed, status }
}

/** Kinds of which exactly one (or at most one) record may be in force on a date. */
const SINGLE_KINDS: readonly PolicyKind[] = ['bank-parameters', 'reference-data', 'extension-rules', 'renewal-rules']

const overlaps = (a: PolicyVersion, b: Pick<PolicyVersion, 'effectiveFrom' | 'effectiveTo'>) =>
  a.effectiveFrom <= (b.effectiveTo ?? '9999-12-31') && b.effectiveFrom <= (a.effectiveTo ?? '9999-12-31')

/**
 * Would `candidate`, laid over `base`, leave a policy `decide` can use? Refuses another record of a
 * single kind overlapping it, and a day the registry could decide on before that it could not decide
 * on with the candidate: checked on the candidate's first day and on every day within its period
 * where another version starts or ends. A day the registry could not decide on anyway (before the
 * first bank parameters, say, for rules in force since 1996) is not the candidate's doing.
 */
function checkOverlay(base: readonly PolicyVersion[], candidate: PolicyVersion): void {
  if (SINGLE_KINDS.includes(candidate.kind)) {
    const clash = base.find((v) => v.kind === candidate.kind && v.id !== candidate.id && overlaps(candidate, v))
    if (clash) {
      throw new AppError('conflict', `${candidate.kind} ${clash.id}@${clash.version} is in force over the same period; only one ${candidate.kind} record may apply on a date`)
    }
  }
  const period = { from: candidate.effectiveFrom, to: candidate.effectiveTo }
  const boundaries = base.flatMap((v) => [v.effectiveFrom, ...(v.effectiveTo === null ? [] : [addDays(v.effectiveTo, 1)])])
  const days = [...new Set([candidate.effectiveFrom, ...boundaries.filter((day) => inWindow(day, period))])].sort()
  for (const day of days) {
    if (!usableOn(base, day)) continue
    try {
      policyAsOf([...base, candidate], day)
    } catch (err) {
      if (isReliefError(err)) throw new AppError('conflict', `the policy in force on ${day} would be unusable: ${err.message}`)
      throw err
    }
  }
}

/** Can `versions` decide an application dated `day`? */
function usableOn(versions: readonly PolicyVersion[], day: CalendarDate): boolean {
  try {
    policyAsOf(versions, day)
    return true
  } catch (err) {
    if (isReliefError(err)) return false
    throw err
  }
}

export function checkPolicyVersion(record: PolicyRecordJson, at: string): PolicyVersion {
  const policy = policyFromRecord(record)
  const issues = validatePolicyVersions([policy])
  if (issues.length > 0) {
    throw new AppError('unprocessable', `the policy version is invalid: ${issues[0]!.path.replace(/^\/0/, '')} ${issues[0]!.message}`, {
      extra: { errors: issues.slice(0, 50).map((i) => ({ field: `${at}${i.path.replace(/^\/0/, '')}`, message: i.message })) },
    })
  }
  return policy
}

/**
 * Adds a version of a policy record. Versions of a record only increase (the highest in force
 * applies, so a lower one could never take effect) and never change. An `active` version is used by
 * live decisions from its effective date; a `draft` only by what-if runs until it is activated.
 */
export async function addPolicyVersion(tx: ReliefTx, record: PolicyRecordJson, by: string, now: Date): Promise<PolicyRow> {
  const policy = checkPolicyVersion(record, '/body/policy')
  // Serialise registry changes: two admins activating overlapping records must not both succeed.
  await REGISTRY_LOCK.execute(tx)
  const rows = await allPolicyRows(tx)
  const sameId = rows.filter((r) => r.record_id === policy.id)
  if (sameId.some((r) => r.version === policy.version)) throw new AppError('conflict', `policy ${policy.id}@${policy.version} already exists; versions are immutable, add a new version`)
  if (sameId.some((r) => r.kind !== policy.kind)) throw new AppError('conflict', `policy ${policy.id} is a ${sameId[0]!.kind} record, not ${policy.kind}`)
  const highest = Math.max(0, ...sameId.map((r) => r.version))
  if (policy.version <= highest) throw new AppError('conflict', `policy ${policy.id} is at version ${highest}; a new version must be higher`)
  checkOverlay(
    rows.filter((r) => r.status === 'active').map((r) => policyFromRecord(r.definition)),
    policy,
  )
  const row = await insertPolicyVersion(tx, policy, 'draft', by, now)
  if (!row) throw new AppError('conflict', `policy ${policy.id}@${policy.version} already exists`)
  await appendAudit(tx, { at: now, actor: by, action: 'policy.added', details: { id: policy.id, version: policy.version, kind: policy.kind, status: 'draft' } })
  return row
}

/**
 * Makes a draft version active: from then on live decisions dated in its period use it. Four eyes:
 * the admin activating it is not the one who added it (as officers' proposals need a second person).
 */
export async function activatePolicyVersion(tx: ReliefTx, id: string, version: number, by: string, now: Date): Promise<PolicyRow> {
  await REGISTRY_LOCK.execute(tx)
  const row = await policyVersionForUpdate(tx, id, version)
  if (!row) throw new AppError('not_found', `no policy ${id}@${version}`)
  if (row.status === 'active') throw new AppError('conflict', `policy ${id}@${version} is already active`)
  if (row.created_by === by) throw new AppError('forbidden', `policy ${id}@${version} was added by you: an admin other than its author activates it (four eyes)`)
  const active = (await allPolicyRows(tx, 'active')).map((r) => policyFromRecord(r.definition))
  checkOverlay(active, policyFromRecord(row.definition))
  const activated = await markActive(tx, id, version, by, now)
  await appendAudit(tx, { at: now, actor: by, action: 'policy.activated', details: { id, version } })
  return activated
}
