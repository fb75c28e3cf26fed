import { LOAN_CLASSIFICATIONS, type AdverseAction, type LoanClassification } from '@sme/contracts/vocabulary'
import type { ValidationIssue } from '@sme/domain'
import type { GivenReason } from './judge.js'
import type { GuardPolicy } from './policy.js'

/** A check as far as the rules can say it is well-formed, before any read model is consulted. */
export interface CheckShape {
  readonly action: AdverseAction
  readonly amountFen?: string | undefined
  readonly targetClassification?: LoanClassification | undefined
  readonly reasons: readonly GivenReason[]
}

const EVIDENCE_KINDS = new Set(['investigation-report', 'funds-flow-record', 'asset-transfer-record', 'financial-analysis', 'court-document', 'borrower-application'])

/**
 * What the shape of a check cannot say but the policy can (each a JSON pointer into the body, for a
 * 422): reason codes the catalogue of the policy version in force does not hold, a reason given
 * twice, evidence of a kind no reason asks for, a line reduction without its amount, a downgrade
 * without the class it would give.
 */
export function checkIssues(check: CheckShape, policy: GuardPolicy): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const seen = new Set<string>()
  check.reasons.forEach((r, i) => {
    if (!policy.reasons.some((known) => known.code === r.code)) issues.push({ path: `/reasons/${i}/code`, message: `is not a reason of the catalogue (${policy.id} v${policy.version}): see GET /reasons` })
    else if (seen.has(r.code)) issues.push({ path: `/reasons/${i}/code`, message: 'is given twice' })
    seen.add(r.code)
    r.evidence.forEach((e, j) => {
      if (!EVIDENCE_KINDS.has(e.kind)) issues.push({ path: `/reasons/${i}/evidence/${j}/kind`, message: `is not a kind of evidence the catalogue names (${[...EVIDENCE_KINDS].join(', ')})` })
    })
  })
  if (check.action === 'reduce-line' && (check.amountFen === undefined || check.amountFen === '0')) issues.push({ path: '/amountFen', message: 'is required, above 0, to reduce a line' })
  if (check.action === 'downgrade-classification') {
    if (check.targetClassification === undefined) issues.push({ path: '/targetClassification', message: 'is required to downgrade' })
    else if (check.targetClassification === LOAN_CLASSIFICATIONS[0]) issues.push({ path: '/targetClassification', message: 'normal is no downgrade' })
  } else if (check.targetClassification !== undefined) {
    issues.push({ path: '/targetClassification', message: 'is only for a downgrade' })
  }
  return issues
}
