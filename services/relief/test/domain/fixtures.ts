// Builders for relief applications. Dates are Asia/Shanghai calendar dates; money in fen.
import { fenFromWanYuan, makeUscc, parseDate, type CalendarDate, type Fen } from '@sme/domain'
import {
  BANK_PARAMETERS_DEFAULT,
  DEFAULT_POLICY_VERSIONS,
  DEFERRAL_2020_03,
  DEFERRAL_2020_06_V1,
  DEFERRAL_2020_06_V2,
  DEFERRAL_2022_Q4,
  EXTENSION_RULES_1996,
  REFERENCE_DATA_2011,
  RENEWAL_RULES_2014,
  RENEWAL_RULES_2024,
  decide,
  policyAsOf,
  type Decision,
  type DeferralRequest,
  type EnterpriseApplication,
  type ExtensionRequest,
  type PersonApplication,
  type PolicyVersion,
  type ReliefApplication,
  type ReliefEnterprise,
  type ReliefPerson,
  type ReliefLoan,
  type RenewalRequest,
  type RuleId,
  type RuleResult,
  type ScoringSignal,
} from '../../src/domain/index.js'
import type { PersonRole } from '@sme/contracts/vocabulary'

export const d = (text: string): CalendarDate => parseDate(text)

/**
 * The versions as first recorded, before they were read again against the notices and corrected:
 * what the decisions made then replay under. Tables of these versions show a replay's behaviour.
 */
export const FIRST_RECORDS: readonly PolicyVersion[] = [
  REFERENCE_DATA_2011,
  BANK_PARAMETERS_DEFAULT,
  EXTENSION_RULES_1996,
  RENEWAL_RULES_2014,
  RENEWAL_RULES_2024,
  DEFERRAL_2020_03,
  DEFERRAL_2020_06_V1,
  DEFERRAL_2020_06_V2,
  DEFERRAL_2022_Q4,
]
export const wan = (n: number): Fen => fenFromWanYuan(n)

/** A Fuzhou enterprise (region 350100), valid check characters. */
export const USCC = makeUscc('91350100M000100Y')
/** A Wuhan enterprise (Hubei, region 420100). */
export const HUBEI_USCC = makeUscc('91420100MA4K0001')
/** An individual business (个体工商户, prefix 92). */
export const INDIVIDUAL_USCC = makeUscc('92350100MA2Y0001')
/** The valid code with its final check character changed. */
export const BAD_USCC = `${USCC.slice(0, 17)}${USCC.endsWith('0') ? '1' : '0'}`

/** Retail firm sizes under the 2011 standard (employees, revenue in wan yuan). */
export const SIZES = {
  micro: { industry: 'retail', employees: 5, revenueFen: wan(50) },
  small: { industry: 'retail', employees: 20, revenueFen: wan(300) },
  medium: { industry: 'retail', employees: 100, revenueFen: wan(1_000) },
  large: { industry: 'retail', employees: 400, revenueFen: wan(30_000) },
  /** Revenue unknown: the size cannot be classified. */
  unknown: { industry: 'retail', employees: 20, revenueFen: undefined },
  /** An industrial firm above both SME ceilings (≥ 1,000 staff and ≥ CNY 400 million revenue). */
  largeIndustrial: { industry: 'industry', employees: 2_000, revenueFen: wan(50_000) },
} as const satisfies Record<string, Pick<ReliefEnterprise, 'industry' | 'employees' | 'revenueFen'>>

export const GOOD_SCORE: ScoringSignal = { score: 700, grade: 'A', pdPpm: 20_000, hardship: 'temporary-shock', modelId: 'sme-general', modelVersion: '1' }
/** A weak score and a structural decline: referred, never declined, unless a hard rule fails. */
export const POOR_SCORE: ScoringSignal = { score: 500, grade: 'D', pdPpm: 200_000, hardship: 'structural-decline', modelId: 'sme-general', modelVersion: '1' }

export interface Given {
  readonly enterprise?: Partial<ReliefEnterprise>
  readonly loan?: Partial<ReliefLoan>
  readonly initiatedBy?: 'borrower' | 'bank'
  readonly hardshipDeclared?: boolean
  readonly keepJobs?: boolean
  readonly keepGuarantee?: boolean
}

/**
 * A small retail firm in Fuzhou with a one-year working-capital loan, guaranteed with consent,
 * classified normal, CNY 5 million total credit, applying itself with every commitment.
 */
export function application(request: ReliefApplication['request'], given: Given = {}): EnterpriseApplication {
  return {
    enterprise: { uscc: USCC, name: '福州某商贸有限公司', ...SIZES.small, regionCode: '350100', ...given.enterprise },
    ...applicationBody(request, given),
  }
}

/** The sample number of GB 11643-1999 (an identity number's shape, with its check character). */
export const IDENTITY_NUMBER = '11010519491231002X'

/** A pseudonym as core banking keeps it for a person. */
export const PERSON_ID = 'CB-PERSON-00042'

/**
 * The same loan borrowed by a natural person of `role` in Fuzhou (a business loan unless said),
 * known by core banking's pseudonym.
 */
export function personApplication(request: ReliefApplication['request'], role: PersonRole, given: Given & { readonly person?: Partial<ReliefPerson> } = {}): PersonApplication {
  return {
    person: { borrowerId: PERSON_ID, role, regionCode: '350100', businessLoan: true, ...given.person },
    ...applicationBody(request, given),
  }
}

function applicationBody(request: ReliefApplication['request'], given: Given): Omit<EnterpriseApplication, 'enterprise' | 'person'> {
  return {
    loan: {
      loanId: 'LN-0001',
      product: 'working-capital',
      outstandingPrincipalFen: wan(300),
      startDate: d('2019-07-01'),
      maturityDate: d('2020-07-01'),
      rateBp: 435,
      guarantee: { kind: 'guarantee', guarantorConsent: true },
      classification: 'normal',
      daysPastDue: 0,
      totalCreditFen: wan(500),
      previousExtensionDays: 0,
      ...given.loan,
    },
    request,
    initiatedBy: given.initiatedBy ?? 'borrower',
    hardship: { declared: given.hardshipDeclared ?? true, text: '疫情期间门店停业，收入大幅下降' },
    commitments: { keepJobs: given.keepJobs ?? true, keepGuarantee: given.keepGuarantee ?? true },
  }
}

export const deferral = (deferTo: string, extra: Partial<Omit<DeferralRequest, 'kind'>> = {}): DeferralRequest => ({
  kind: 'deferral',
  principal: true,
  interest: false,
  deferTo: d(deferTo),
  ...extra,
})

export const extension = (newMaturity: string): ExtensionRequest => ({ kind: 'extension', newMaturity: d(newMaturity) })

export const GOOD_STANDING = { lawfulAndStable: true, fundsDiverted: false, interestUnpaid: false, debtEvasion: false } as const

export const renewal = (newMaturity: string, extra: Partial<Omit<RenewalRequest, 'kind' | 'newMaturity'>> = {}): RenewalRequest => ({
  kind: 'renewal',
  withoutPrincipalRepayment: true,
  newMaturity: d(newMaturity),
  standing: GOOD_STANDING,
  ...extra,
})

/** Decides under the policy versions in force on `date`. */
export function run(
  app: ReliefApplication,
  date: string,
  scoring: ScoringSignal | 'unavailable' = GOOD_SCORE,
  versions: readonly PolicyVersion[] = DEFAULT_POLICY_VERSIONS,
): Decision {
  const applicationDate = d(date)
  return decide(app, policyAsOf(versions, applicationDate), { applicationDate, scoring })
}

/** The result of one rule (the first in `scope` when a scope is given). */
export function ruleOf(decision: Decision, rule: RuleId, scope?: string): RuleResult {
  const found = decision.rules.find((r) => r.rule === rule && (scope === undefined || r.scope === scope))
  if (found === undefined) throw new Error(`no rule ${rule}${scope === undefined ? '' : ` in ${scope}`}`)
  return found
}

/** Reason codes behind the outcome. */
export const reasonCodes = (decision: Decision): string[] => decision.reasons.map((r) => r.code)
