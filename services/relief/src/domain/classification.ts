import { LOAN_CLASSIFICATIONS, type LoanClassification } from '@sme/contracts/vocabulary'

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
