import type { HardshipSignal, LoanClassification, LoanStatus, ProtectionBasis, ReliefKind } from '@sme/contracts/vocabulary'
import { addDays, type CalendarDate, type LocalizedText } from '@sme/domain'
import type { GuardPolicy } from './policy.js'

/** An approved or declined relief decision as the guard holds it: the latest revision of one application. */
export interface ReliefOnRecord {
  readonly applicationId: string
  readonly revision: number
  readonly loanId: string
  readonly relief: ReliefKind
  readonly outcome: 'APPROVED' | 'DECLINED'
  /** The day it was decided (Asia/Shanghai). */
  readonly decidedOn: CalendarDate
  /** Last day of the granted terms: the deferred-to date, or the new maturity; null when declined. */
  readonly termsEnd: CalendarDate | null
}

/** The latest score scoring published for the enterprise. */
export interface ScoreOnRecord {
  readonly scoreId: string
  readonly asOf: CalendarDate
  readonly grade: string
  /** Scoring's hardship signal; null when the score carried none. */
  readonly hardship: HardshipSignal | null
}

/** Membership of a key-enterprise list (national or local), with its dates. */
export interface KeyListOnRecord {
  readonly list: string
  readonly listedOn: CalendarDate
  readonly delistedOn: CalendarDate | null
}

/** The loan concerned, as core banking last reported it. */
export interface LoanOnRecord {
  readonly loanId: string
  readonly branchId: string | null
  readonly daysPastDue: number
  readonly classification: LoanClassification
  readonly status: LoanStatus
}

/** Everything the guard knows of a borrower and the loan a check concerns, from its read model. */
export interface BorrowerRecord {
  readonly reliefs: readonly ReliefOnRecord[]
  readonly score: ScoreOnRecord | null
  readonly keyLists: readonly KeyListOnRecord[]
  readonly loan: LoanOnRecord | null
}

/** One protection of a borrower, with its basis and period (both ends inclusive; `until` null while open). */
export interface Protection {
  readonly basis: ProtectionBasis
  /** What it rests on: `relief:<application>@<revision>`, `score:<id>`, `list:<name>`. */
  readonly ref: string
  readonly from: CalendarDate
  readonly until: CalendarDate | null
  readonly text: LocalizedText
}

export interface Protections {
  /** In force on the day asked about. */
  readonly active: readonly Protection[]
  /** Ended before the day asked about: reported so a verdict shows why a past protection no longer counts. */
  readonly expired: readonly Protection[]
}

function inForce(p: Protection, date: CalendarDate): 'active' | 'expired' | 'future' {
  if (date < p.from) return 'future'
  return p.until !== null && date > p.until ? 'expired' : 'active'
}

/**
 * The protections of a borrower on `date` under `policy` (POLICY §4: an active relief decision, an
 * affected viable SME, a listed key enterprise). Each basis the policy version does not name is
 * ignored; a protection that starts after `date` is neither active nor expired.
 *
 * - Relief decision: an APPROVED decision protects the borrower from the day it was decided to the
 *   end of its terms plus the policy's tail. A DECLINED one protects nothing.
 * - Affected viable SME: a score whose hardship signal is `temporary-shock` (the crisis's temporary
 *   effect, POLICY §6) with a grade the policy counts as viable, from its as-of day for the policy's
 *   score validity. `structural-decline` or `insufficient-data` never protect on this basis.
 * - Key enterprise: listed on or before `date` and not delisted before it.
 */
export function protectionsOn(record: BorrowerRecord, policy: GuardPolicy, date: CalendarDate): Protections {
  const all: Protection[] = []
  const bases = new Set(policy.protection.bases)
  if (bases.has('relief-decision')) {
    for (const r of record.reliefs) {
      if (r.outcome !== 'APPROVED' || r.termsEnd === null) continue
      all.push({
        basis: 'relief-decision',
        ref: `relief:${r.applicationId}@${r.revision}`,
        from: r.decidedOn,
        until: addDays(r.termsEnd, policy.protection.reliefTailDays),
        text: { zh: `已批准的${RELIEF_ZH[r.relief]}（贷款 ${r.loanId}）`, en: `An approved ${r.relief} (loan ${r.loanId})` },
      })
    }
  }
  const s = record.score
  if (bases.has('affected-viable') && s !== null && s.hardship === 'temporary-shock' && policy.protection.viableGrades.includes(s.grade)) {
    all.push({
      basis: 'affected-viable',
      ref: `score:${s.scoreId}`,
      from: s.asOf,
      until: addDays(s.asOf, policy.protection.scoreValidityDays - 1),
      text: { zh: `受疫情暂时影响、评级 ${s.grade} 仍具发展前景的企业`, en: `Hit by the epidemic for a time and viable (grade ${s.grade})` },
    })
  }
  if (bases.has('key-enterprise')) {
    for (const k of record.keyLists) {
      all.push({
        basis: 'key-enterprise',
        ref: `list:${k.list}`,
        from: k.listedOn,
        until: k.delistedOn === null ? null : addDays(k.delistedOn, -1),
        text: { zh: `重点企业名单（${k.list}）`, en: `On the key-enterprise list ${k.list}` },
      })
    }
  }
  const active: Protection[] = []
  const expired: Protection[] = []
  for (const p of all) {
    const state = inForce(p, date)
    if (state === 'active') active.push(p)
    else if (state === 'expired') expired.push(p)
  }
  return { active, expired }
}

const RELIEF_ZH: Record<ReliefKind, string> = { deferral: '延期还本付息', extension: '展期', renewal: '续贷' }
