import { isCalendarDate, type CalendarDate } from '@sme/domain'
import { ReliefError } from './errors.js'
import { validatePolicyVersions } from './policy-validation.js'
import type { PolicyKind, PolicyRecordBase, PolicySet, PolicyVersion, PolicyVersionRef } from './policy.js'

// Which policy versions are in force on a date, and how a decision names the ones it used.

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
 * The policy in force on `date`: for each record id, the highest version in force that no other
 * version corrects; deferral
 * programmes all apply side by side (they overlap in June 2020), while bank parameters and
 * reference data must have exactly one record and extension and renewal rules at most one.
 * Validates the versions selected.
 *
 * @throws ReliefError `invalid-policy` when a selected version is invalid or two records of a
 *   single-record kind are in force; `no-policy` when no bank parameters or no reference data are.
 */
export function policyAsOf(versions: readonly PolicyVersion[], date: CalendarDate): PolicySet {
  if (!isCalendarDate(date)) throw new ReliefError('invalid-argument', `not a YYYY-MM-DD date: ${JSON.stringify(date)}`)
  // Versions a later version corrects apply to no new decision, on any date.
  const corrected = new Set(versions.flatMap((r) => (r.corrects?.versions ?? []).map((v) => `${r.id}@${v}`)))
  const latest = new Map<string, PolicyVersion>()
  for (const record of versions) {
    if (!isInForce(record, date) || corrected.has(`${record.id}@${record.version}`)) continue
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
