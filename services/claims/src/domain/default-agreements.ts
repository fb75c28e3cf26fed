import { parseDate, type Citation } from '@sme/domain'
import type { DocumentRequirement, GuaranteeAgreement } from './agreement.js'
import type { CompensationPool } from './pools.js'

/** The notice's clause on guarantee claims, recourse and write-off. */
export const NOTICE_2020_14_ITEM_9: Citation = {
  title: '工业和信息化部关于应对新型冠状病毒肺炎疫情帮助中小企业复工复产共渡难关有关工作的通知',
  number: '工信明电〔2020〕14号',
  issuers: ['工业和信息化部'],
  date: parseDate('2020-02-10'),
  article: '三、9. 强化融资担保服务',
  quote: '对于确无还款能力的小微企业，为其提供融资担保服务的各级政府性融资担保机构应及时履行代偿义务，视疫情影响情况适当延长追偿时限，符合核销条件的，按规定核销代偿损失。',
}

/** The documents a claim usually carries; each agreement lists its own. */
export const CLAIM_DOCUMENTS = {
  application: { code: 'claim-application', text: { zh: '代偿申请书', en: 'Claim application' } },
  loanContract: { code: 'loan-contract', text: { zh: '借款合同', en: 'Loan contract' } },
  guaranteeContract: { code: 'guarantee-contract', text: { zh: '保证合同', en: 'Guarantee contract' } },
  overdueNotice: { code: 'overdue-notice', text: { zh: '逾期催收通知及回执', en: 'Overdue notice to the borrower, with its receipt' } },
  statement: { code: 'debt-statement', text: { zh: '贷款本息余额明细', en: 'Statement of outstanding principal and interest' } },
  demandOutcome: { code: 'demand-outcome', text: { zh: '对借款人追索情况说明', en: 'Account of the demand on the borrower and its outcome' } },
} as const satisfies Record<string, DocumentRequirement>

const DOCUMENTS = Object.values(CLAIM_DOCUMENTS)

/**
 * A bank's agreement with a provincial agency under the national fund's re-guarantee business,
 * shared "4:2:2:2" (POLICY §5): the originating agency 40% (it takes the fen a split leaves over),
 * the provincial re-guarantor 20%, the national guarantee fund 20%, the bank 20%. The figures are
 * this bank's agreement, not law: a deployment records its own agreements as new versions.
 */
export const AGREEMENT_4222: GuaranteeAgreement = Object.freeze<GuaranteeAgreement>({
  id: 'ZJ-GUARANTEE-4222',
  version: 1,
  effectiveFrom: parseDate('2020-01-01'),
  effectiveTo: null,
  title: { zh: '银担分险合作协议（4:2:2:2）', en: 'Bank–agency risk-sharing agreement (4:2:2:2)' },
  programme: 'national-fund-reguarantee',
  agencyId: 'ZJ-AGENCY-01',
  citations: [NOTICE_2020_14_ITEM_9],
  coveredSizes: ['micro', 'small'],
  coveredShareBp: 8_000,
  layers: [
    { party: 'originating-agency', partyId: 'ZJ-AGENCY-01', shareBp: 4_000 },
    { party: 'provincial-reguarantor', partyId: 'ZJ-REGUARANTEE', shareBp: 2_000 },
    { party: 'national-fund', partyId: 'NATIONAL-GUARANTEE-FUND', shareBp: 2_000 },
    { party: 'bank', partyId: 'BANK', shareBp: 2_000 },
  ],
  bankMinimumShareBp: 2_000,
  rounding: { amount: 'half-up', remainderTo: 'originating-agency' },
  claimAfterDaysPastDue: 90,
  paymentDeadlineBusinessDays: 30,
  interestCap: { maxDays: 90, rounding: 'half-up' },
  recourse: { months: 24, epidemicExtensionMonths: 12 },
  requiredDocuments: DOCUMENTS,
  fees: { guaranteeBp: 100, reguaranteeBp: 50 },
  portfolioCap: { capBp: 500, mode: 'flag' },
})

/**
 * A city programme's "4321" agreement: the originating agency 40%, the provincial re-guarantor 30%,
 * the bank 20%, the local government's risk-compensation fund 10%; a hard portfolio cap.
 */
export const AGREEMENT_4321: GuaranteeAgreement = Object.freeze<GuaranteeAgreement>({
  id: 'HZ-GUARANTEE-4321',
  version: 1,
  effectiveFrom: parseDate('2020-02-10'),
  effectiveTo: null,
  title: { zh: '政银担风险分担协议（4:3:2:1）', en: 'Government–bank–agency risk-sharing agreement (4:3:2:1)' },
  programme: 'city-4321',
  agencyId: 'HZ-AGENCY-02',
  citations: [NOTICE_2020_14_ITEM_9],
  coveredSizes: ['micro', 'small'],
  coveredShareBp: 8_000,
  layers: [
    { party: 'originating-agency', partyId: 'HZ-AGENCY-02', shareBp: 4_000 },
    { party: 'provincial-reguarantor', partyId: 'ZJ-REGUARANTEE', shareBp: 3_000 },
    { party: 'bank', partyId: 'BANK', shareBp: 2_000 },
    { party: 'local-government', partyId: 'HZ-RISK-COMPENSATION', shareBp: 1_000 },
  ],
  bankMinimumShareBp: 2_000,
  rounding: { amount: 'down', remainderTo: 'originating-agency' },
  claimAfterDaysPastDue: 60,
  paymentDeadlineBusinessDays: 20,
  interestCap: { maxDays: 60, rounding: 'down' },
  recourse: { months: 36, epidemicExtensionMonths: 6 },
  requiredDocuments: DOCUMENTS.filter((d) => d.code !== CLAIM_DOCUMENTS.demandOutcome.code),
  fees: { guaranteeBp: 80, reguaranteeBp: 40 },
  portfolioCap: { capBp: 300, mode: 'enforce' },
})

export const DEFAULT_AGREEMENTS: readonly GuaranteeAgreement[] = [AGREEMENT_4222, AGREEMENT_4321]

/**
 * A provincial risk-compensation pool as POLICY §5 describes it: the province pays 30% of the
 * principal of small and micro loans issued during the epidemic once they become non-performing,
 * the city 10% more on the final loss, never more than the loss; agency-guaranteed loans excluded.
 * The payers and the period are this deployment's example: a bank records its own pools.
 */
export const POOL_ZJ_2020: CompensationPool = Object.freeze<CompensationPool>({
  id: 'ZJ-RISK-POOL-2020',
  version: 1,
  title: { zh: '小微企业疫情期间贷款风险补偿资金', en: 'Risk-compensation pool for small and micro loans issued during the epidemic' },
  citations: [NOTICE_2020_14_ITEM_9],
  loansIssuedFrom: parseDate('2020-02-01'),
  loansIssuedTo: parseDate('2020-12-31'),
  coveredSizes: ['micro', 'small'],
  excludesAgencyGuaranteed: true,
  tiers: [
    { payer: 'ZJ-PROVINCE-FINANCE', stage: 'non-performing', shareBp: 3_000 },
    { payer: 'HZ-CITY-FINANCE', stage: 'final-loss', shareBp: 1_000 },
  ],
  rounding: 'half-up',
})

export const DEFAULT_POOLS: readonly CompensationPool[] = Object.freeze([POOL_ZJ_2020])
