/**
 * The closed vocabularies the platform's contexts share, as plain constants with no imports, so a
 * pure domain may use them as its own words without loading any wire or messaging code. The wire
 * schemas (`wire.ts`) and every context's domain build on these lists; a value added here is a
 * compatible change of every contract that uses it.
 */

/** The scoring service's hardship signal (POLICY §6): how the crisis shows in the firm's data. */
export const HARDSHIP_SIGNALS = ['none', 'temporary-shock', 'structural-decline', 'insufficient-data'] as const
export type HardshipSignal = (typeof HARDSHIP_SIGNALS)[number]

/** The three kinds of relief (POLICY §2): deferral (延期还本付息), extension (展期), renewal (续贷). */
export const RELIEF_KINDS = ['deferral', 'extension', 'renewal'] as const
export type ReliefKind = (typeof RELIEF_KINDS)[number]

/**
 * Five-category risk classification of loans (贷款风险分类: 正常, 关注, 次级, 可疑, 损失), best first;
 * 《贷款风险分类指引》(银监发〔2007〕54号) and 《商业银行金融资产风险分类办法》(2023年第1号令).
 */
export const LOAN_CLASSIFICATIONS = ['normal', 'special-mention', 'substandard', 'doubtful', 'loss'] as const
export type LoanClassification = (typeof LOAN_CLASSIFICATIONS)[number]

/** Security of a loan: none (信用), a guarantee (保证), collateral (抵押) or a pledge (质押). */
export const GUARANTEE_KINDS = ['none', 'guarantee', 'collateral', 'pledge'] as const
export type GuaranteeKind = (typeof GUARANTEE_KINDS)[number]

/** Loan products the relief rules distinguish (POLICY §2: renewal without principal repayment is for working-capital loans). */
export const LOAN_PRODUCTS = ['working-capital', 'fixed-asset', 'other'] as const
export type LoanProduct = (typeof LOAN_PRODUCTS)[number]

/**
 * What a natural-person borrower is to the relief notices, in their words: a small/micro business
 * owner (小微企业主), an individual business (个体工商户) known by its owner rather than a USCC, a farmer
 * (农户), a truck driver (货车司机). Each programme names the ones it covers.
 */
export const PERSON_ROLES = ['small-business-owner', 'individual-business', 'farmer', 'truck-driver'] as const
export type PersonRole = (typeof PERSON_ROLES)[number]

/** A loan's status on core banking's books (`loans.events.v1`). */
export const LOAN_STATUSES = ['active', 'matured', 'settled', 'written-off'] as const
export type LoanStatus = (typeof LOAN_STATUSES)[number]

/** A final outcome of a relief application. */
export const FINAL_OUTCOMES = ['APPROVED', 'DECLINED'] as const

/**
 * Adverse credit actions the guard is asked about before core banking executes them (POLICY §4):
 * calling a loan early (抽贷), refusing its renewal or freezing a line (断贷), cutting a line or a
 * loan amount (压贷), and downgrading the loan's classification.
 */
export const ADVERSE_ACTIONS = ['call-early', 'refuse-renewal', 'freeze-line', 'reduce-line', 'downgrade-classification'] as const
export type AdverseAction = (typeof ADVERSE_ACTIONS)[number]

/** The guard's answer: the action may go ahead, must not, or waits for a risk officer. */
export const GUARD_OUTCOMES = ['ALLOW', 'BLOCK', 'ESCALATE'] as const
export type GuardOutcome = (typeof GUARD_OUTCOMES)[number]

/**
 * Why a borrower is under relief protection (POLICY §4): an approved relief decision in force, an
 * affected but viable SME as scoring sees it, or membership of a key-enterprise list.
 */
export const PROTECTION_BASES = ['relief-decision', 'affected-viable', 'key-enterprise'] as const
export type ProtectionBasis = (typeof PROTECTION_BASES)[number]

/**
 * Who bears a share of a guaranteed loan's loss (POLICY §5): the originating agency guarantees the
 * loan and pays the bank's claim; the provincial re-guarantor and the national guarantee fund
 * reimburse it their shares afterwards; a local government's risk-compensation share (the "4321"
 * arrangements) works like a re-guarantor's; the bank keeps its own share and claims none of it.
 */
export const LAYER_PARTIES = ['originating-agency', 'provincial-reguarantor', 'national-fund', 'local-government', 'bank'] as const
export type LayerParty = (typeof LAYER_PARTIES)[number]

/** How a demand on the borrower ended: only `claim` leads to a guarantee claim. */
export const DEMAND_OUTCOMES = ['repaid', 'cured', 'no-claim', 'claim'] as const
export type DemandOutcome = (typeof DEMAND_OUTCOMES)[number]

/**
 * Grounds of a claim's write-off: recourse exhausted (its period over), or the bad-debt write-off
 * conditions met earlier (the borrower liquidated, a final judgment that cannot be enforced, …),
 * which the bank attests with the write-off.
 */
export const WRITE_OFF_BASES = ['recourse-exhausted', 'write-off-conditions-met'] as const
export type WriteOffBasis = (typeof WRITE_OFF_BASES)[number]
