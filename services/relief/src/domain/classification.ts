import type { CalendarDate } from '@sme/domain'
import { LOAN_CLASSIFICATIONS, type HardshipSignal, type LoanClassification } from '@sme/contracts/vocabulary'
import { inWindow, type RestructuringRegime } from './policy.js'

/**
 * The least severe five-tier class a loan may hold with `daysPastDue` overdue, under the 2023
 * classification rules (《商业银行金融资产风险分类办法》, 中国银保监会 中国人民银行令2023年第1号, in force
 * 2023-07-01; POLICY §2 Risk classification floors): overdue → at least special-mention (关注),
 * over 90 days → at least substandard (次级), over 270 → at least doubtful (可疑), over 360 → loss (损失).
 */
export function classificationFloor(daysPastDue: number): LoanClassification {
  if (daysPastDue > 360) return 'loss'
  if (daysPastDue > 270) return 'doubtful'
  if (daysPastDue > 90) return 'substandard'
  if (daysPastDue > 0) return 'special-mention'
  return 'normal'
}

/** The more severe of two classes. */
export function worseClassification(a: LoanClassification, b: LoanClassification): LoanClassification {
  return LOAN_CLASSIFICATIONS.indexOf(a) >= LOAN_CLASSIFICATIONS.indexOf(b) ? a : b
}

/** What shows the borrower in financial difficulty (2023 rules: 债务人发生财务困难), from the application's facts. */
export type FinancialDifficultySign = 'overdue' | 'non-performing' | 'hardship-declared' | 'hardship-signal'

/**
 * The classification effect of an extension: a change of the contract in favour of a debtor in
 * financial difficulty is a restructuring, and the loan takes at least the regime's floor (never
 * upgraded during the observation period); without financial difficulty it is no restructuring
 * and only the overdue-day floor applies.
 */
export interface RestructuringEffect {
  readonly before: LoanClassification
  readonly after: LoanClassification
  /** The floor of the loan's days past due on the decision date. */
  readonly floor: LoanClassification
  readonly daysPastDue: number
  /** The signs of financial difficulty found; empty when none. */
  readonly financialDifficulty: readonly FinancialDifficultySign[]
  readonly restructured: boolean
  /** The rules applied (title, number, article); `null` when no regime covers the date. */
  readonly rules: string | null
  /** The least severe class of a restructured loan under those rules; `null` unless restructured. */
  readonly restructuredFloor: LoanClassification | null
  /** Not upgraded for this long, from the first repayment after the change; `null` unless restructured. */
  readonly observation: { readonly minimumMonths: number; readonly minimumRepaymentPeriods: number | null } | null
  readonly basis: 'restructured asset' | 'not restructured: no financial difficulty' | 'no restructuring rules for the date'
}

/**
 * The class an extended loan takes on `date` (POLICY §2 Risk classification): the worse of its
 * class, its overdue-day floor and, when restructured, the floor of the rules in force that day.
 */
export function restructuringEffect(
  loan: { readonly classification: LoanClassification; readonly daysPastDue: number },
  signs: readonly FinancialDifficultySign[],
  date: CalendarDate,
  regimes: readonly RestructuringRegime[],
): RestructuringEffect {
  const { classification: before, daysPastDue } = loan
  const floor = classificationFloor(daysPastDue)
  const regime = regimes.find((r) => inWindow(date, r.effective))
  const restructured = signs.length > 0 && regime !== undefined
  const restructuredFloor = restructured ? regime.floor : null
  return {
    before,
    after: worseClassification(worseClassification(before, floor), restructuredFloor ?? 'normal'),
    floor,
    daysPastDue,
    financialDifficulty: signs,
    restructured,
    rules: regime?.source ?? null,
    restructuredFloor,
    observation: restructured ? { minimumMonths: regime.observationMonths, minimumRepaymentPeriods: regime.observationRepaymentPeriods } : null,
    basis: regime === undefined ? 'no restructuring rules for the date' : restructured ? 'restructured asset' : 'not restructured: no financial difficulty',
  }
}

/**
 * The signs of financial difficulty in an application (2023 rules' definition, as the application
 * can show it): principal or interest overdue, the loan already non-performing, hardship declared by
 * the borrower, or scoring's hardship signal (a temporary shock or a structural decline).
 */
export function financialDifficultySigns(facts: {
  readonly daysPastDue: number
  readonly classification: LoanClassification
  readonly hardshipDeclared: boolean
  readonly hardshipSignal: HardshipSignal | null
}): FinancialDifficultySign[] {
  const signs: FinancialDifficultySign[] = []
  if (facts.daysPastDue > 0) signs.push('overdue')
  if (LOAN_CLASSIFICATIONS.indexOf(facts.classification) >= LOAN_CLASSIFICATIONS.indexOf('substandard')) signs.push('non-performing')
  if (facts.hardshipDeclared) signs.push('hardship-declared')
  if (facts.hardshipSignal === 'temporary-shock' || facts.hardshipSignal === 'structural-decline') signs.push('hardship-signal')
  return signs
}
