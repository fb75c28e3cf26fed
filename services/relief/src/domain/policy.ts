import {
  DEFAULT_INCLUSIVE_LOAN_RULES,
  SME_SIZE_TABLE_2011,
  USCC_CHARSET,
  isCalendarDate,
  isDomainError,
  parseDate,
  validateSmeSizeTable,
  type CalendarDate,
  type InclusiveLoanRules,
  type SmeSize,
  type SmeSizeTable,
  type TermClass,
} from '@sme/domain'
import { LOAN_PRODUCTS, HARDSHIP_SIGNALS, RELIEF_KINDS, type HardshipSignal, type LoanProduct, type ReliefKind } from './application.js'
import { ReliefError, type ValidationIssue } from './errors.js'
import type { LocalizedText } from './reasons.js'

/**
 * Policy as dated data (POLICY preamble: "every number here is a parameter of a dated, versioned
 * policy record, never a constant in code"). Each record is plain data with an id, a version and an
 * effective period; {@link policyAsOf} picks the versions in force on an application date, and a
 * decision records which ones it used, so it can be replayed under exactly those, or re-run under a
 * draft version for a what-if report.
 *
 * All dates are Asia/Shanghai calendar dates, windows are inclusive at both ends (POLICY writes
 * them "2020-06-01…2020-12-31"), money is integer fen.
 */

/** An inclusive date window; `to: null` is open-ended ("due on/after 2020-01-25"). */
export interface DateWindow {
  readonly from: CalendarDate
  readonly to: CalendarDate | null
}

/** Is `date` within `window`, both ends included? */
export function inWindow(date: CalendarDate, window: DateWindow): boolean {
  return date >= window.from && (window.to === null || date <= window.to)
}

/** Fields every policy record has. */
export interface PolicyRecordBase {
  /** Stable id of the record across versions, e.g. `deferral-2020-06`. */
  readonly id: string
  /**
   * Positive integer. When several versions of one id are in force on a date, the highest applies:
   * a later version supersedes an earlier one from its own `effectiveFrom` (so a draft can be laid
   * over the active versions for a what-if run without editing them).
   */
  readonly version: number
  /** First day in force (Asia/Shanghai), inclusive: applications dated on or after it use the record. */
  readonly effectiveFrom: CalendarDate
  /** Last day in force, inclusive; `null` while open-ended. */
  readonly effectiveTo: CalendarDate | null
  readonly title: LocalizedText
  /** The POLICY clause the record implements, cited by every rule result it produces. */
  readonly clause: string
  /** The official source (notice and number) or the bank's own decision. */
  readonly source: string
}

/**
 * Who a deferral programme covers (POLICY §1, §2): `sme` medium, small and micro enterprises and
 * individual businesses; `small-micro` small and micro enterprises and individual businesses;
 * `inclusive-small-micro` inclusive small/micro loans (普惠小微: total credit ≤ the reference cap,
 * borrower small, micro or an individual business).
 */
export type BorrowerCriterion = 'sme' | 'small-micro' | 'inclusive-small-micro'

/**
 * Which dates make a loan eligible. `amounts-due`: the due date of each amount deferred must be in
 * its window (2020-03: principal due on/after 2020-01-25, interest due 2020-01-25…2020-06-30).
 * `loan-maturity`: the loan's maturity must be in the window ("loans maturing …"); its principal
 * and interest may then be deferred.
 */
export type DeferralEligibility =
  | { readonly basis: 'amounts-due'; readonly principalDue: DateWindow; readonly interestDue: DateWindow }
  | { readonly basis: 'loan-maturity'; readonly maturity: DateWindow }

/** Conditions a programme asks of the application; `false` = not a condition of this programme. */
export interface DeferralConditions {
  /** The borrower applied itself (2020-06: "when the borrower applies"). */
  readonly borrowerApplication: boolean
  /** Effective guarantee kept or substituted, with the security provider's consent. */
  readonly effectiveGuarantee: boolean
  /** Commitment to keep jobs stable. */
  readonly jobsCommitment: boolean
  /** Hardship declared (programmes for enterprises "in temporary difficulty"). */
  readonly hardshipDeclared: boolean
}

/** What an approved deferral does to the loan (POLICY §2, "Effects common to all"). */
export interface DeferralEffects {
  /** No penalty interest (罚息) on the deferred amounts. */
  readonly penaltyInterestWaived: boolean
  /** The risk classification is not downgraded because of the epidemic alone. */
  readonly noDowngradeForEpidemicAlone: boolean
  /** The credit report follows the adjusted schedule: no adverse entry for the deferred amounts. */
  readonly creditReportOnAdjustedSchedule: boolean
  /** Overdue-day classification floors still apply, counted on the revised schedule. */
  readonly overdueDaysOnRevisedSchedule: boolean
  /**
   * Interest during the deferral: `normal` where the programme states normal interest accrues
   * (2022-Q4, 正常计息); `per-contract` where the notice is silent (interest is deferred, not waived).
   */
  readonly interestAccrual: 'normal' | 'per-contract'
  /** Missing documents may be supplied after the decision (容缺办理, 2022-Q4). */
  readonly documentsMayFollow: boolean
}

/** A temporary deferral programme (延期还本付息), POLICY §2. */
export interface DeferralProgramme extends PolicyRecordBase {
  readonly kind: 'deferral-programme'
  readonly borrowers: {
    readonly criterion: BorrowerCriterion
    /**
     * Region-code prefixes (GB/T 2260) where **all** enterprises qualify whatever their size:
     * `['42']` = Hubei for the 2020-03 programme.
     */
    readonly allEnterprisesInRegions: readonly string[]
  }
  readonly eligibility: DeferralEligibility
  /** Latest date amounts may be deferred to, inclusive. */
  readonly deferUntilLatest: CalendarDate
  readonly conditions: DeferralConditions
  /**
   * The bank must grant the deferral when the borrower is eligible, the dates fit and every
   * condition holds; then neither a rule (a weak score) nor an officer may decline it.
   */
  readonly mandatory: boolean
  readonly effects: DeferralEffects
}

/** A cap on cumulative extension: a fraction of the original term in days, or calendar years. */
export type ExtensionCap =
  | { readonly kind: 'term-fraction'; readonly numerator: number; readonly denominator: number }
  | { readonly kind: 'calendar-years'; readonly years: number }

/** Extension rules (展期), General Rules on Loans art. 12 (POLICY §2). */
export interface ExtensionRules extends PolicyRecordBase {
  readonly kind: 'extension-rules'
  /**
   * The application must be dated at least this many days before the current maturity: `1` =
   * strictly before the maturity date (art. 12 "在贷款到期日之前"); a bank may ask for more.
   */
  readonly applyDaysBeforeMaturity: number
  /** Cumulative caps by the class of the original term (short ≤ 1 year, medium ≤ 5, long > 5). */
  readonly caps: Readonly<Record<TermClass, ExtensionCap>>
  /** Written consent of the guarantor, mortgagor or pledgor is required (secured loans). */
  readonly guarantorConsentRequired: boolean
}

/** Renewal rules (续贷, 无还本续贷), POLICY §2. */
export interface RenewalRules extends PolicyRecordBase {
  readonly kind: 'renewal-rules'
  readonly withoutPrincipalRepayment: {
    /** Products that may be renewed without repaying principal (working capital). */
    readonly products: readonly LoanProduct[]
    /** Enterprise sizes always eligible (small, micro). */
    readonly sizes: readonly SmeSize[]
    /** Individual businesses (个体工商户) eligible whatever their size. */
    readonly individualBusinesses: boolean
    /**
     * Medium enterprises, for loans maturing strictly before `maturityBefore` (POLICY: "for
     * maturities before 2027-09-30"); `null` when medium enterprises are not eligible.
     */
    readonly mediumEnterprises: { readonly maturityBefore: CalendarDate } | null
    /**
     * The new contract must be signed at least this many days before the old loan matures: `1` =
     * strictly before the maturity date ("signed before the old loan matures").
     */
    readonly signDaysBeforeMaturity: number
  }
}

/** The bank's own parameters (POLICY §2 限时回复; referral thresholds). */
export interface BankParameters extends PolicyRecordBase {
  readonly kind: 'bank-parameters'
  /** Service level: the bank answers within this many calendar days of the application date. */
  readonly answerDeadlineDays: number
  /** An application is referred to an officer, never auto-declined, when the score misses these. */
  readonly referral: {
    /** Lowest score approved automatically (points of the scorecard in force). */
    readonly minScore: number
    /** Highest probability of default approved automatically, parts per million. */
    readonly maxPdPpm: number
    /** Grades always referred, whatever the score. */
    readonly referGrades: readonly string[]
    /** Hardship signals approved automatically, by relief kind; any other signal is referred. */
    readonly autoApproveHardship: Readonly<Record<ReliefKind, readonly HardshipSignal[]>>
  }
  /** "Meets lending standards" for the renewal keep-normal test (POLICY §2). */
  readonly lendingStandards: {
    readonly minScore: number
    readonly maxPdPpm: number
  }
  /**
   * The start of the crisis whose hardship the scoring service measures, against the firm's own
   * figures before it (POLICY §6). Absent: the scoring service's default (2020-01-25, the 2020
   * programmes). A later wave (the 2022-Q4 programme's, say) is a version of this record from the
   * day it applies, naming its own start.
   */
  readonly crisisStart?: CalendarDate
}

/** Reference data used by every decision (POLICY §1). */
export interface ReferenceData extends PolicyRecordBase {
  readonly kind: 'reference-data'
  /** The SME size standard in force. */
  readonly smeSizeTable: SmeSizeTable
  /** The inclusive small/micro category (total credit cap, fen). */
  readonly inclusiveLoan: InclusiveLoanRules
  /** Genuine USCCs known to fail a check, each with the documented reason (POLICY §1). */
  readonly usccExceptions: readonly { readonly code: string; readonly reason: string }[]
}

export type PolicyVersion = DeferralProgramme | ExtensionRules | RenewalRules | BankParameters | ReferenceData
export type PolicyKind = PolicyVersion['kind']

/** Which version of which record: what a decision records, and all a replay needs to look up. */
export interface PolicyVersionRef {
  readonly kind: PolicyKind
  readonly id: string
  readonly version: number
}

/** The versions in force on one date, ready for {@link decide}. */
export interface PolicySet {
  readonly asOf: CalendarDate
  /** In force on `asOf`, ordered by `effectiveFrom`, then id. */
  readonly deferralProgrammes: readonly DeferralProgramme[]
  readonly extension: ExtensionRules | null
  readonly renewal: RenewalRules | null
  readonly bank: BankParameters
  readonly reference: ReferenceData
  /** Every version in the set, ordered by kind then id. */
  readonly versions: readonly PolicyVersionRef[]
}

const KIND_ORDER: readonly PolicyKind[] = ['reference-data', 'bank-parameters', 'deferral-programme', 'extension-rules', 'renewal-rules']

/** Is `record` in force on `date` (both ends of its period inclusive)? */
export function isInForce(record: Pick<PolicyRecordBase, 'effectiveFrom' | 'effectiveTo'>, date: CalendarDate): boolean {
  return record.effectiveFrom <= date && (record.effectiveTo === null || date <= record.effectiveTo)
}

/** The reference of a version. */
export function versionRef(record: PolicyVersion): PolicyVersionRef {
  return { kind: record.kind, id: record.id, version: record.version }
}

/** Sort key of a reference: kind, id, version. */
export function compareVersionRefs(a: PolicyVersionRef, b: PolicyVersionRef): number {
  const kind = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind)
  if (kind !== 0) return kind
  if (a.id !== b.id) return a.id < b.id ? -1 : 1
  return a.version - b.version
}

/**
 * The policy in force on `date`: for each record id, the highest version in force; deferral
 * programmes all apply side by side (they overlap in June 2020), while bank parameters and
 * reference data must have exactly one record and extension and renewal rules at most one.
 * Validates the versions selected.
 *
 * @throws ReliefError `invalid-policy` when a selected version is invalid or two records of a
 *   single-record kind are in force; `no-policy` when no bank parameters or no reference data are.
 */
export function policyAsOf(versions: readonly PolicyVersion[], date: CalendarDate): PolicySet {
  if (!isCalendarDate(date)) throw new ReliefError('invalid-argument', `not a YYYY-MM-DD date: ${JSON.stringify(date)}`)
  const latest = new Map<string, PolicyVersion>()
  for (const record of versions) {
    if (!isInForce(record, date)) continue
    const seen = latest.get(record.id)
    if (seen !== undefined && seen.kind !== record.kind) {
      throw new ReliefError('invalid-policy', `record ${record.id} has versions of two kinds: ${seen.kind} and ${record.kind}`)
    }
    if (seen !== undefined && seen.version === record.version) {
      throw new ReliefError('invalid-policy', `record ${record.id} version ${record.version} appears twice`)
    }
    if (seen === undefined || record.version > seen.version) latest.set(record.id, record)
  }
  const selected = [...latest.values()]
  const issues = validatePolicyVersions(selected)
  if (issues.length > 0) throw new ReliefError('invalid-policy', `invalid policy in force on ${date}`, issues)

  const ofKind = <K extends PolicyKind>(kind: K): Extract<PolicyVersion, { kind: K }>[] =>
    selected.filter((r): r is Extract<PolicyVersion, { kind: K }> => r.kind === kind).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const single = <K extends PolicyKind>(kind: K): Extract<PolicyVersion, { kind: K }> | null => {
    const found = ofKind(kind)
    if (found.length > 1) {
      throw new ReliefError('invalid-policy', `${found.length} ${kind} records in force on ${date}: ${found.map((r) => r.id).join(', ')}`)
    }
    return found[0] ?? null
  }
  const bank = single('bank-parameters')
  const reference = single('reference-data')
  if (bank === null) throw new ReliefError('no-policy', `no bank parameters in force on ${date}`)
  if (reference === null) throw new ReliefError('no-policy', `no reference data in force on ${date}`)
  return {
    asOf: date,
    deferralProgrammes: ofKind('deferral-programme').sort((a, b) =>
      a.effectiveFrom !== b.effectiveFrom ? (a.effectiveFrom < b.effectiveFrom ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    ),
    extension: single('extension-rules'),
    renewal: single('renewal-rules'),
    bank,
    reference,
    versions: selected.map(versionRef).sort(compareVersionRefs),
  }
}

const ID_PATTERN = /^[a-z0-9][a-z0-9.-]*$/
const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value)
const isText = (value: unknown): boolean => typeof value === 'string' && value.trim() !== ''

/**
 * Checks policy versions: ids, versions and dates well formed, `id`+`version` unique, one kind per
 * id, windows ordered, parameters in range, the size table valid. Paths point into the array
 * (`/2/deferUntilLatest`). Call it when versions are loaded or a draft is submitted.
 */
export function validatePolicyVersions(versions: readonly PolicyVersion[]): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const seen = new Map<string, PolicyKind>()
  const keys = new Set<string>()
  versions.forEach((record, index) => {
    const at = (path: string, message: string): void => {
      issues.push({ path: `/${index}${path}`, message })
    }
    const date = (path: string, value: unknown): boolean => {
      if (isCalendarDate(value)) return true
      at(path, `must be a YYYY-MM-DD date, got ${JSON.stringify(value)}`)
      return false
    }
    const window = (path: string, value: DateWindow | undefined): void => {
      if (value === undefined || value === null) return at(path, 'missing')
      const fromOk = date(`${path}/from`, value.from)
      if (value.to !== null && date(`${path}/to`, value.to) && fromOk && value.to < value.from) at(`${path}/to`, 'ends before it starts')
    }
    const nonNegativeInt = (path: string, value: unknown): void => {
      if (!isInt(value) || value < 0) at(path, 'must be a non-negative integer')
    }
    if (typeof record !== 'object' || record === null) return at('', 'must be an object')
    if (typeof record.id !== 'string' || !ID_PATTERN.test(record.id)) at('/id', 'must be lower-case letters, digits, dots and dashes')
    if (!isInt(record.version) || record.version < 1) at('/version', 'must be a positive integer')
    const key = `${record.id}@${record.version}`
    if (keys.has(key)) at('/version', `${key} appears twice`)
    keys.add(key)
    const kind = seen.get(record.id)
    if (kind !== undefined && kind !== record.kind) at('/kind', `record ${record.id} is also a ${kind}`)
    seen.set(record.id, record.kind)
    const fromOk = date('/effectiveFrom', record.effectiveFrom)
    if (record.effectiveTo !== null && date('/effectiveTo', record.effectiveTo) && fromOk && record.effectiveTo < record.effectiveFrom) {
      at('/effectiveTo', 'ends before it starts')
    }
    if (!isText(record.title?.zh) || !isText(record.title?.en)) at('/title', 'needs Chinese and English texts')
    if (!isText(record.clause)) at('/clause', 'must cite the POLICY clause')
    if (!isText(record.source)) at('/source', 'must name the source')

    switch (record.kind) {
      case 'deferral-programme': {
        const { criterion, allEnterprisesInRegions } = record.borrowers ?? {}
        if (!['sme', 'small-micro', 'inclusive-small-micro'].includes(criterion)) at('/borrowers/criterion', `unknown criterion ${JSON.stringify(criterion)}`)
        if (!Array.isArray(allEnterprisesInRegions) || !allEnterprisesInRegions.every((p) => typeof p === 'string' && /^[0-9]{2,6}$/.test(p))) {
          at('/borrowers/allEnterprisesInRegions', 'must list region-code prefixes of 2–6 digits')
        }
        const eligibility = record.eligibility
        if (eligibility?.basis === 'amounts-due') {
          window('/eligibility/principalDue', eligibility.principalDue)
          window('/eligibility/interestDue', eligibility.interestDue)
        } else if (eligibility?.basis === 'loan-maturity') {
          window('/eligibility/maturity', eligibility.maturity)
        } else at('/eligibility/basis', "must be 'amounts-due' or 'loan-maturity'")
        date('/deferUntilLatest', record.deferUntilLatest)
        for (const key of ['borrowerApplication', 'effectiveGuarantee', 'jobsCommitment', 'hardshipDeclared'] as const) {
          if (typeof record.conditions?.[key] !== 'boolean') at(`/conditions/${key}`, 'must be a boolean')
        }
        if (typeof record.mandatory !== 'boolean') at('/mandatory', 'must be a boolean')
        const effects = record.effects
        for (const key of ['penaltyInterestWaived', 'noDowngradeForEpidemicAlone', 'creditReportOnAdjustedSchedule', 'overdueDaysOnRevisedSchedule', 'documentsMayFollow'] as const) {
          if (typeof effects?.[key] !== 'boolean') at(`/effects/${key}`, 'must be a boolean')
        }
        if (effects?.interestAccrual !== 'normal' && effects?.interestAccrual !== 'per-contract') at('/effects/interestAccrual', "must be 'normal' or 'per-contract'")
        break
      }
      case 'extension-rules': {
        nonNegativeInt('/applyDaysBeforeMaturity', record.applyDaysBeforeMaturity)
        for (const cls of ['short', 'medium', 'long'] as const) {
          const cap = record.caps?.[cls]
          if (cap?.kind === 'term-fraction') {
            if (!isInt(cap.numerator) || cap.numerator < 0 || !isInt(cap.denominator) || cap.denominator < 1) {
              at(`/caps/${cls}`, 'a fraction needs integers numerator ≥ 0 and denominator ≥ 1')
            }
          } else if (cap?.kind === 'calendar-years') {
            nonNegativeInt(`/caps/${cls}/years`, cap.years)
          } else at(`/caps/${cls}`, "must be a 'term-fraction' or 'calendar-years' cap")
        }
        if (typeof record.guarantorConsentRequired !== 'boolean') at('/guarantorConsentRequired', 'must be a boolean')
        break
      }
      case 'renewal-rules': {
        const rules = record.withoutPrincipalRepayment
        if (!Array.isArray(rules?.products) || !rules.products.every((p) => (LOAN_PRODUCTS as readonly string[]).includes(p))) {
          at('/withoutPrincipalRepayment/products', 'must list known products')
        }
        if (!Array.isArray(rules?.sizes) || !rules.sizes.every((s) => ['large', 'medium', 'small', 'micro'].includes(s))) {
          at('/withoutPrincipalRepayment/sizes', 'must list enterprise sizes')
        }
        if (typeof rules?.individualBusinesses !== 'boolean') at('/withoutPrincipalRepayment/individualBusinesses', 'must be a boolean')
        if (rules?.mediumEnterprises !== null) date('/withoutPrincipalRepayment/mediumEnterprises/maturityBefore', rules?.mediumEnterprises?.maturityBefore)
        nonNegativeInt('/withoutPrincipalRepayment/signDaysBeforeMaturity', rules?.signDaysBeforeMaturity)
        break
      }
      case 'bank-parameters': {
        if (!isInt(record.answerDeadlineDays) || record.answerDeadlineDays < 1) at('/answerDeadlineDays', 'must be a positive integer')
        const referral = record.referral
        if (!isInt(referral?.minScore)) at('/referral/minScore', 'must be an integer')
        if (!isInt(referral?.maxPdPpm) || referral.maxPdPpm < 0 || referral.maxPdPpm > 1_000_000) at('/referral/maxPdPpm', 'must be an integer 0–1,000,000')
        if (!Array.isArray(referral?.referGrades) || !referral.referGrades.every(isText)) at('/referral/referGrades', 'must list grades')
        for (const relief of RELIEF_KINDS) {
          const list = referral?.autoApproveHardship?.[relief]
          if (!Array.isArray(list) || !list.every((s) => (HARDSHIP_SIGNALS as readonly string[]).includes(s))) {
            at(`/referral/autoApproveHardship/${relief}`, 'must list hardship signals')
          }
        }
        if (!isInt(record.lendingStandards?.minScore)) at('/lendingStandards/minScore', 'must be an integer')
        const maxPd = record.lendingStandards?.maxPdPpm
        if (!isInt(maxPd) || maxPd < 0 || maxPd > 1_000_000) at('/lendingStandards/maxPdPpm', 'must be an integer 0–1,000,000')
        if (record.crisisStart !== undefined && date('/crisisStart', record.crisisStart) && record.crisisStart > (record.effectiveTo ?? '9999-12-31')) {
          at('/crisisStart', 'is after the period of the version')
        }
        break
      }
      case 'reference-data': {
        try {
          validateSmeSizeTable(record.smeSizeTable)
        } catch (err) {
          if (!isDomainError(err)) throw err
          at('/smeSizeTable', err.message)
        }
        if (typeof record.inclusiveLoan?.maxTotalCreditFen !== 'bigint' || record.inclusiveLoan.maxTotalCreditFen < 0n) {
          at('/inclusiveLoan/maxTotalCreditFen', 'must be non-negative fen (bigint)')
        }
        if (!Array.isArray(record.usccExceptions)) at('/usccExceptions', 'must be a list')
        else {
          record.usccExceptions.forEach((entry, i) => {
            if (typeof entry?.code !== 'string' || entry.code.length !== 18 || ![...entry.code].every((ch) => USCC_CHARSET.includes(ch))) {
              at(`/usccExceptions/${i}/code`, 'must be 18 USCC characters')
            }
            if (!isText(entry?.reason)) at(`/usccExceptions/${i}/reason`, 'needs the documented reason (never a silent pass)')
          })
        }
        break
      }
      default:
        at('/kind', `unknown kind ${JSON.stringify((record as { kind?: unknown }).kind)}`)
    }
  })
  return issues
}

/** Freezes `value` and everything reachable from it; returns it. For policy data shared by reference. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

// ---------------------------------------------------------------------------------------------
// The default versions. Figures come from POLICY §1–2; where POLICY gives no figure (the bank's own
// parameters, the last limit of the extended 2020-06 programme) the value is a documented default
// and lives here, in data, so a new version changes it without touching code.
// ---------------------------------------------------------------------------------------------

const d = parseDate

/** POLICY §2 "Effects common to all": penalty interest waived, no epidemic-only downgrade, credit report on the adjusted schedule, overdue days on the revised schedule. */
const COMMON_DEFERRAL_EFFECTS = {
  penaltyInterestWaived: true,
  noDowngradeForEpidemicAlone: true,
  creditReportOnAdjustedSchedule: true,
  overdueDaysOnRevisedSchedule: true,
} as const

/**
 * 2020-03-01 programme (POLICY §2): SMEs (incl. individual businesses) with principal due on/after
 * 2020-01-25 or interest due 2020-01-25…2020-06-30 may defer to at most 2020-06-30; in Hubei all
 * enterprises qualify. For enterprises in temporary difficulty, so hardship must be declared.
 * In force from the notice date until its deferral limit (nothing can be deferred after it).
 */
export const DEFERRAL_2020_03: DeferralProgramme = deepFreeze({
  kind: 'deferral-programme',
  id: 'deferral-2020-03',
  version: 1,
  effectiveFrom: d('2020-03-01'),
  effectiveTo: d('2020-06-30'),
  title: { zh: '中小微企业贷款临时性延期还本付息（2020年3月）', en: 'Temporary deferral for SME loans (March 2020)' },
  clause: 'POLICY §2 Temporary deferral, 2020-03-01 programme',
  source: '银保监发〔2020〕6号, 2020-03-01',
  borrowers: { criterion: 'sme', allEnterprisesInRegions: ['42'] },
  eligibility: {
    basis: 'amounts-due',
    // "principal due on/after 2020-01-25": open-ended; the deferral limit bounds it in practice.
    principalDue: { from: d('2020-01-25'), to: null },
    interestDue: { from: d('2020-01-25'), to: d('2020-06-30') },
  },
  deferUntilLatest: d('2020-06-30'),
  conditions: { borrowerApplication: false, effectiveGuarantee: false, jobsCommitment: false, hardshipDeclared: true },
  mandatory: false,
  effects: { ...COMMON_DEFERRAL_EFFECTS, interestAccrual: 'per-contract', documentsMayFollow: false },
})

/**
 * 2020-06-01 programme, version 1 (POLICY §2): inclusive small/micro loans maturing
 * 2020-06-01…2020-12-31 may defer to at most 2021-03-31; the bank **must** grant it when the
 * borrower applies, keeps an effective guarantee (or a substitute) and commits to keep jobs stable.
 */
export const DEFERRAL_2020_06_V1: DeferralProgramme = deepFreeze({
  kind: 'deferral-programme',
  id: 'deferral-2020-06',
  version: 1,
  effectiveFrom: d('2020-06-01'),
  effectiveTo: d('2020-12-31'),
  title: { zh: '普惠小微企业贷款阶段性延期还本付息（2020年6月）', en: 'Deferral for inclusive small/micro loans (June 2020)' },
  clause: 'POLICY §2 Temporary deferral, 2020-06-01 programme',
  source: '银发〔2020〕122号, 2020-06-01',
  borrowers: { criterion: 'inclusive-small-micro', allEnterprisesInRegions: [] },
  eligibility: { basis: 'loan-maturity', maturity: { from: d('2020-06-01'), to: d('2020-12-31') } },
  deferUntilLatest: d('2021-03-31'),
  conditions: { borrowerApplication: true, effectiveGuarantee: true, jobsCommitment: true, hardshipDeclared: false },
  mandatory: true,
  effects: { ...COMMON_DEFERRAL_EFFECTS, interestAccrual: 'per-contract', documentsMayFollow: false },
})

/**
 * 2020-06-01 programme, version 2: "later extended to maturities through 2021-12-31" (POLICY §2),
 * in force for applications dated 2021-01-01…2021-12-31. POLICY gives no deferral limit for the
 * extension; the default 2022-03-31 keeps version 1's reach of three months beyond the last
 * eligible maturity (a limit equal to the window's end would leave December 2021 maturities nothing
 * to defer). Configurable: a new version with another `deferUntilLatest` replaces it.
 */
export const DEFERRAL_2020_06_V2: DeferralProgramme = deepFreeze({
  ...DEFERRAL_2020_06_V1,
  version: 2,
  effectiveFrom: d('2021-01-01'),
  effectiveTo: d('2021-12-31'),
  title: { zh: '普惠小微企业贷款阶段性延期还本付息（延续至2021年底）', en: 'Deferral for inclusive small/micro loans (extended through 2021)' },
  source: '银发〔2020〕122号 as extended (银发〔2020〕324号; 2021 extension)',
  eligibility: { basis: 'loan-maturity', maturity: { from: d('2020-06-01'), to: d('2021-12-31') } },
  deferUntilLatest: d('2022-03-31'),
})

/**
 * 2022 fourth-quarter programme ("2022-11 programme", POLICY §2): small/micro loans maturing
 * 2022-10-01…2022-12-31 may defer to at most 2023-06-30; normal interest accrues; missing
 * documents may follow (容缺办理). Encouraged, not mandatory; for firms in temporary difficulty.
 * In force from 2022-11-01 (the month of the notice; configurable) until its deferral limit.
 */
export const DEFERRAL_2022_Q4: DeferralProgramme = deepFreeze({
  kind: 'deferral-programme',
  id: 'deferral-2022-q4',
  version: 1,
  effectiveFrom: d('2022-11-01'),
  effectiveTo: d('2023-06-30'),
  title: { zh: '2022年四季度到期小微企业贷款延期还本付息', en: 'Deferral for small/micro loans maturing in 2022 Q4' },
  clause: 'POLICY §2 Temporary deferral, 2022-11 programme',
  source: 'NFRA/PBoC notice of November 2022 on Q4 2022 small/micro loan deferral',
  borrowers: { criterion: 'small-micro', allEnterprisesInRegions: [] },
  eligibility: { basis: 'loan-maturity', maturity: { from: d('2022-10-01'), to: d('2022-12-31') } },
  deferUntilLatest: d('2023-06-30'),
  conditions: { borrowerApplication: false, effectiveGuarantee: false, jobsCommitment: false, hardshipDeclared: true },
  mandatory: false,
  effects: { ...COMMON_DEFERRAL_EFFECTS, interestAccrual: 'normal', documentsMayFollow: true },
})

/**
 * Extension caps, General Rules on Loans (贷款通则) art. 12 (POLICY §2): applied for before
 * maturity, with the security provider's written consent; cumulative extension at most the
 * original term (short), half of it (medium), 3 years (long).
 */
export const EXTENSION_RULES_1996: ExtensionRules = deepFreeze({
  kind: 'extension-rules',
  id: 'extension-art12',
  version: 1,
  effectiveFrom: d('1996-08-01'),
  effectiveTo: null,
  title: { zh: '贷款展期（《贷款通则》第十二条）', en: 'Loan extension (General Rules on Loans, art. 12)' },
  clause: 'POLICY §2 Extension (General Rules on Loans art. 12)',
  source: '《贷款通则》(中国人民银行令1996年第2号) 第十二条',
  applyDaysBeforeMaturity: 1,
  caps: {
    short: { kind: 'term-fraction', numerator: 1, denominator: 1 },
    medium: { kind: 'term-fraction', numerator: 1, denominator: 2 },
    long: { kind: 'calendar-years', years: 3 },
  },
  guarantorConsentRequired: true,
})

/**
 * Renewal without principal repayment for small/micro working-capital loans (POLICY §2), before
 * medium enterprises were admitted. The effective date is the platform's record of the 2014
 * notice; a replay of those years should confirm it.
 */
export const RENEWAL_RULES_2014: RenewalRules = deepFreeze({
  kind: 'renewal-rules',
  id: 'renewal',
  version: 1,
  effectiveFrom: d('2014-07-23'),
  effectiveTo: null,
  title: { zh: '小微企业流动资金贷款无还本续贷', en: 'Renewal without principal repayment, small/micro working-capital loans' },
  clause: 'POLICY §2 Renewal without principal repayment',
  source: '银监发〔2014〕36号',
  withoutPrincipalRepayment: {
    products: ['working-capital'],
    sizes: ['small', 'micro'],
    individualBusinesses: true,
    mediumEnterprises: null,
    signDaysBeforeMaturity: 1,
  },
})

/**
 * Version 2: medium enterprises' working-capital loans too, "for maturities before 2027-09-30"
 * (POLICY §2). In force from 2024-09-30, the start of that three-year window (the platform's
 * record; configurable).
 */
export const RENEWAL_RULES_2024: RenewalRules = deepFreeze({
  ...RENEWAL_RULES_2014,
  version: 2,
  effectiveFrom: d('2024-09-30'),
  title: { zh: '无还本续贷（扩展至中型企业）', en: 'Renewal without principal repayment, extended to medium enterprises' },
  source: 'NFRA notice of September 2024 on renewal without principal repayment',
  withoutPrincipalRepayment: {
    ...RENEWAL_RULES_2014.withoutPrincipalRepayment,
    mediumEnterprises: { maturityBefore: d('2027-09-30') },
  },
})

/**
 * The bank's defaults (configurable per bank; POLICY §2 限时回复 gives no figure): answer within
 * 10 calendar days; automatic approval needs a score ≥ 590 (grade B or better on the default
 * scorecard), a PD ≤ 6% and a grade outside CCC…D; deferrals need a temporary-shock signal, while
 * extensions and renewals also accept "no hardship" (they are ordinary credit decisions).
 */
export const BANK_PARAMETERS_DEFAULT: BankParameters = deepFreeze({
  kind: 'bank-parameters',
  id: 'bank-parameters',
  version: 1,
  effectiveFrom: d('2014-01-01'),
  effectiveTo: null,
  title: { zh: '本行延期、展期、续贷审批参数', en: "The bank's relief decision parameters" },
  clause: 'POLICY §2 限时回复 (bank service level); bank credit policy',
  source: 'Bank credit committee decision (default values of the platform)',
  answerDeadlineDays: 10,
  referral: {
    minScore: 590,
    maxPdPpm: 60_000,
    referGrades: ['CCC', 'CC', 'C', 'D'],
    autoApproveHardship: {
      deferral: ['temporary-shock'],
      extension: ['none', 'temporary-shock'],
      renewal: ['none', 'temporary-shock'],
    },
  },
  lendingStandards: { minScore: 590, maxPdPpm: 60_000 },
})

/**
 * Reference data (POLICY §1): the 2011 SME size standard, the inclusive small/micro cap of CNY 10
 * million total credit, no USCC exceptions yet.
 */
export const REFERENCE_DATA_2011: ReferenceData = deepFreeze({
  kind: 'reference-data',
  id: 'reference-data',
  version: 1,
  effectiveFrom: d('2011-06-18'),
  effectiveTo: null,
  title: { zh: '企业划型与普惠小微口径', en: 'Enterprise size standard and inclusive small/micro category' },
  clause: 'POLICY §1 Enterprises',
  source: '工信部联企业〔2011〕300号; inclusive small/micro category (单户授信总额1000万元及以下)',
  // Copies: freezing this record must not freeze @sme/domain's own constants.
  smeSizeTable: structuredClone(SME_SIZE_TABLE_2011),
  inclusiveLoan: { ...DEFAULT_INCLUSIVE_LOAN_RULES },
  usccExceptions: [],
})

/** Every default version, oldest first. */
export const DEFAULT_POLICY_VERSIONS: readonly PolicyVersion[] = deepFreeze([
  REFERENCE_DATA_2011,
  BANK_PARAMETERS_DEFAULT,
  EXTENSION_RULES_1996,
  RENEWAL_RULES_2014,
  RENEWAL_RULES_2024,
  DEFERRAL_2020_03,
  DEFERRAL_2020_06_V1,
  DEFERRAL_2020_06_V2,
  DEFERRAL_2022_Q4,
])
