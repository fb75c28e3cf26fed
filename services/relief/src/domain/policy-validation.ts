import { isCalendarDate, isDomainError, USCC_CHARSET, validateSmeSizeTable } from '@sme/domain'
import { HARDSHIP_SIGNALS, LOAN_PRODUCTS, RELIEF_KINDS } from '@sme/contracts/vocabulary'
import type { ValidationIssue } from './errors.js'
import type { DateWindow, PolicyKind, PolicyVersion } from './policy.js'

// What a policy version must satisfy before it is stored or used: every field and the cross-field
// rules (windows in order, caps positive, ids unique per kind), each problem named by its JSON pointer.

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
