import type { ValidationIssue } from '@sme/domain'
import type { AgreementBody } from '../agreement-schema.js'
import { agreementInForce, agreementIssues, type GuaranteeAgreement } from '../domain/index.js'
import { DatedBook, wireDates } from './dated-versions.js'

/**
 * An agreement in the domain's terms from its wire (or stored) form, with every issue the shape
 * could not judge (dates that do not exist, contradictions between fields), each naming its field.
 */
export function agreementOf(body: AgreementBody): { agreement: GuaranteeAgreement; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = []
  const date = wireDates(issues)
  const agreement: GuaranteeAgreement = {
    ...body,
    effectiveFrom: date(body.effectiveFrom, '/effectiveFrom'),
    effectiveTo: body.effectiveTo === null ? null : date(body.effectiveTo, '/effectiveTo'),
    citations: body.citations.map((c, i) => ({ ...c, date: date(c.date, `/citations/${i}/date`) })),
  }
  if (issues.length > 0) return { agreement, issues }
  return { agreement, issues: agreementIssues(agreement) }
}

/** The agreement versions claims are judged under: the one in force on a guarantee day, the one a demand pinned. */
export type AgreementBook = DatedBook<GuaranteeAgreement>

export function agreementBook(): AgreementBook {
  return new DatedBook<GuaranteeAgreement>('agreement', (definition) => agreementOf(definition as AgreementBody).agreement, agreementInForce)
}
