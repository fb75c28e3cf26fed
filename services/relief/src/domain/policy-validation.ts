import { isDomainError, validateSmeSizeTable } from '@sme/domain'
import type { ValidationIssue } from './errors.js'
import type { DateWindow, PersonScope, PolicyKind, PolicyVersion } from './policy.js'

// What a set of policy versions must satisfy beyond the shape of each record. The shape (every
// field, its type, range and vocabulary) is the record's JSON schema, checked where a record enters
// (src/policy-records.ts); what is left here is what a schema cannot say: one field against another,
// one record against the others. Each problem is named by its JSON pointer into the array.

/**
 * Checks policy versions together: `id`+`version` unique, one kind per id, every window and period
 * in order, the bank's crisis start inside its version's period, the size table consistent. Paths
 * point into the array (`/2/eligibility/interestDue/to`). Run when versions are selected for a date
 * or a draft is submitted.
 */
export function validatePolicyVersions(versions: readonly PolicyVersion[]): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const seen = new Map<string, PolicyKind>()
  const keys = new Set<string>()
  versions.forEach((record, index) => {
    const at = (path: string, message: string): void => {
      issues.push({ path: `/${index}${path}`, message })
    }
    // One entry per role: two would leave which one applies to the order of a list.
    const distinctRoles = (path: string, scope: PersonScope | undefined): void => {
      const roles = (scope?.roles ?? []).map((r) => r.role)
      roles.forEach((role, index) => {
        if (roles.indexOf(role) !== index) at(`${path}/${index}/role`, `names ${role} twice`)
      })
    }
    const ordered = (path: string, window: DateWindow): void => {
      if (window.to !== null && window.to < window.from) at(`${path}/to`, 'ends before it starts')
    }
    const key = `${record.id}@${record.version}`
    if (keys.has(key)) at('/version', `${key} appears twice`)
    keys.add(key)
    const kind = seen.get(record.id)
    if (kind !== undefined && kind !== record.kind) at('/kind', `record ${record.id} is also a ${kind}`)
    seen.set(record.id, record.kind)
    if (record.effectiveTo !== null && record.effectiveTo < record.effectiveFrom) at('/effectiveTo', 'ends before it starts')
    record.corrects?.versions.forEach((v, i) => {
      if (v >= record.version) at(`/corrects/versions/${i}`, 'a correction corrects an earlier version')
    })

    switch (record.kind) {
      case 'deferral-programme': {
        const eligibility = record.eligibility
        if (eligibility.basis === 'amounts-due') {
          ordered('/eligibility/principalDue', eligibility.principalDue)
          ordered('/eligibility/interestDue', eligibility.interestDue)
        } else {
          ordered('/eligibility/maturity', eligibility.maturity)
          if (eligibility.interestDue !== undefined) ordered('/eligibility/interestDue', eligibility.interestDue)
        }
        if (record.negotiable?.maturity) ordered('/negotiable/maturity', record.negotiable.maturity)
        distinctRoles('/borrowers/persons/roles', record.borrowers.persons)
        break
      }
      case 'bank-parameters':
        if (record.crisisStart !== undefined && record.effectiveTo !== null && record.crisisStart > record.effectiveTo) {
          at('/crisisStart', 'is after the period of the version')
        }
        break
      case 'reference-data':
        try {
          validateSmeSizeTable(record.smeSizeTable)
        } catch (err) {
          if (!isDomainError(err)) throw err
          at('/smeSizeTable', err.message)
        }
        break
      case 'extension-rules':
        record.stateExceptions?.forEach((e, i) => ordered(`/stateExceptions/${i}/maturity`, e.maturity))
        break
      case 'renewal-rules':
        distinctRoles('/withoutPrincipalRepayment/persons/roles', record.withoutPrincipalRepayment.persons)
        break
    }
  })
  return issues
}
