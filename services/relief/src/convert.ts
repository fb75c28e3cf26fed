import type { CalendarDate } from '@sme/domain'
import type { EnterpriseApplication, ReliefApplication, ReliefRequest, ScoringSignal } from './domain/index.js'
import type { ApplicationInput } from './schemas.js'

/**
 * Wire (and stored) form ↔ domain form. Fen travel as decimal strings on the wire and in JSON
 * columns and are `bigint` in the domain; the fields are listed here once so both directions agree.
 * The wire schema has already checked the strings (`^(0|[1-9][0-9]{0,17})$`), so `BigInt` cannot throw.
 */
const fen = (value: string): bigint => BigInt(value)
const date = (value: string): CalendarDate => value as CalendarDate

/** The application in the domain's terms (the branch id is the service's concern, not the rules'). */
export function toDomainApplication(input: ApplicationInput): ReliefApplication {
  const { enterprise, person } = input
  const body = toDomainBody(input)
  if (person !== undefined) {
    return { person: { borrowerId: person.borrowerId, role: person.role, regionCode: person.regionCode, businessLoan: person.businessLoan }, ...body }
  }
  // Intake refuses a body with neither (see borrowerIssues); a stored application always has one.
  if (enterprise === undefined) throw new Error('the application names no borrower')
  return {
    enterprise: {
      uscc: enterprise.uscc,
      name: enterprise.name,
      industry: enterprise.industry,
      ...(enterprise.employees === undefined ? {} : { employees: enterprise.employees }),
      ...(enterprise.revenueFen === undefined ? {} : { revenueFen: fen(enterprise.revenueFen) }),
      ...(enterprise.assetsFen === undefined ? {} : { assetsFen: fen(enterprise.assetsFen) }),
      regionCode: enterprise.regionCode,
    },
    ...body,
  }
}

/** Everything but the borrower. */
function toDomainBody(input: ApplicationInput): Omit<EnterpriseApplication, 'enterprise' | 'person'> {
  const { loan, request } = input
  return {
    loan: {
      loanId: loan.loanId,
      product: loan.product,
      outstandingPrincipalFen: fen(loan.outstandingPrincipalFen),
      startDate: date(loan.startDate),
      maturityDate: date(loan.maturityDate),
      rateBp: loan.rateBp,
      guarantee: {
        kind: loan.guarantee.kind,
        guarantorConsent: loan.guarantee.guarantorConsent,
        ...(loan.guarantee.consentInContract === undefined ? {} : { consentInContract: loan.guarantee.consentInContract }),
      },
      classification: loan.classification,
      daysPastDue: loan.daysPastDue,
      totalCreditFen: fen(loan.totalCreditFen),
      previousExtensionDays: loan.previousExtensionDays,
    },
    request: toDomainRequest(request),
    initiatedBy: input.initiatedBy,
    hardship: { declared: input.hardship.declared, text: input.hardship.text },
    ...(input.documents === undefined ? {} : { documents: { outstanding: [...input.documents.outstanding], dueBy: date(input.documents.dueBy) } }),
    commitments: { keepJobs: input.commitments.keepJobs, keepGuarantee: input.commitments.keepGuarantee },
  }
}

function toDomainRequest(request: ApplicationInput['request']): ReliefRequest {
  switch (request.kind) {
    case 'deferral':
      return {
        kind: 'deferral',
        principal: request.principal,
        interest: request.interest,
        deferTo: date(request.deferTo),
        ...(request.principalDueDate === undefined ? {} : { principalDueDate: date(request.principalDueDate) }),
        ...(request.interestDueDate === undefined ? {} : { interestDueDate: date(request.interestDueDate) }),
      }
    case 'extension':
      return { kind: 'extension', newMaturity: date(request.newMaturity) }
    case 'renewal':
      return { kind: 'renewal', withoutPrincipalRepayment: request.withoutPrincipalRepayment, newMaturity: date(request.newMaturity), standing: { ...request.standing } }
  }
}

/**
 * What scoring told a decision, as stored with it: the signal and its score id, or why there was
 * none. Replays and what-if runs decide from exactly this.
 */
export type ScoringInput =
  | {
      available: true
      scoreId: string
      score: number
      grade: string
      pdPpm: number
      hardship: ScoringSignal['hardship']
      modelId: string
      modelVersion: string
      /** The size figures the scored data shows (fen as a decimal string); absent from answers that did not carry them. */
      figures?: { revenue12mFen: string | null; employees: number | null }
    }
  | { available: false; reason: 'timeout' | 'scoring-failed' | 'not-scored'; detail?: string }

export function scoringContext(input: ScoringInput): ScoringSignal | 'unavailable' {
  if (!input.available) return 'unavailable'
  const signal = { score: input.score, grade: input.grade, pdPpm: input.pdPpm, hardship: input.hardship, modelId: input.modelId, modelVersion: input.modelVersion }
  if (input.figures === undefined) return signal
  const { revenue12mFen, employees } = input.figures
  return { ...signal, figures: { revenue12mFen: revenue12mFen === null ? null : BigInt(revenue12mFen), employees } }
}
