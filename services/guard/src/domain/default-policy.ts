import { parseDate } from '@sme/domain'
import type { GuardPolicy, GuardReason } from './policy.js'

const ALL_ACTIONS = ['call-early', 'refuse-renewal', 'freeze-line', 'reduce-line', 'downgrade-classification'] as const

/**
 * The reasons catalogue. Substantive reasons are those POLICY §4 names (fraud, diversion of funds,
 * debt evasion, material non-epidemic deterioration shown by data, a court order, the borrower's own
 * request), plus a downgrade to the floor the loan's own days past due impose; each says what it
 * justifies and what evidence it needs. The epidemic-effect reasons are what the notice forbids
 * acting on "blindly": recorded and reported, never a justification against a protected firm.
 */
const REASONS: readonly GuardReason[] = [
  {
    code: 'fraud',
    kind: 'substantive',
    text: { zh: '借款人涉嫌欺诈（骗取贷款）', en: 'The borrower committed fraud (obtained the loan by deception)' },
    justifies: ALL_ACTIONS,
    evidence: ['investigation-report'],
    review: 'none',
  },
  {
    code: 'diversion-of-funds',
    kind: 'substantive',
    text: { zh: '借款人挪用贷款资金', en: 'The borrower diverted the loan funds from their agreed purpose' },
    justifies: ALL_ACTIONS,
    evidence: ['funds-flow-record'],
    review: 'none',
  },
  {
    code: 'debt-evasion',
    kind: 'substantive',
    text: { zh: '借款人逃废债务（转移资产、抽逃资金）', en: 'The borrower is evading its debts (moving assets away, withdrawing capital)' },
    justifies: ALL_ACTIONS,
    evidence: ['asset-transfer-record'],
    review: 'none',
  },
  {
    code: 'non-epidemic-deterioration',
    kind: 'substantive',
    text: { zh: '非疫情因素导致经营实质性恶化（有数据证明）', en: 'Material deterioration of the business for reasons other than the epidemic, shown by data' },
    justifies: ALL_ACTIONS,
    evidence: ['financial-analysis'],
    // Whether a decline is the epidemic's or the firm's own is a judgement: a risk officer makes it.
    review: 'risk-officer',
  },
  {
    code: 'court-order',
    kind: 'substantive',
    text: { zh: '法院裁定或执行要求', en: 'A court ruling or enforcement order requires it' },
    justifies: ['call-early', 'freeze-line', 'reduce-line'],
    evidence: ['court-document'],
    review: 'none',
  },
  {
    code: 'borrower-request',
    kind: 'substantive',
    text: { zh: '借款人自行申请（提前还款、减少或停用额度、不再续贷）', en: "The borrower's own request (early repayment, a smaller or closed line, no renewal)" },
    // A borrower may give up credit; it cannot ask the bank to worsen its own classification.
    justifies: ['call-early', 'refuse-renewal', 'freeze-line', 'reduce-line'],
    evidence: ['borrower-application'],
    review: 'none',
  },
  {
    code: 'overdue-classification-floor',
    kind: 'substantive',
    text: { zh: '逾期天数已触及监管分类下限', en: "The loan's days past due already impose the classification" },
    justifies: ['downgrade-classification'],
    evidence: [],
    review: 'none',
    // Verified against core banking's own position: the days past due on the (relief-adjusted) schedule.
    shownBy: 'days-past-due',
  },
  {
    code: 'epidemic-revenue-decline',
    kind: 'epidemic-effect',
    text: { zh: '受疫情影响营业收入暂时下降', en: "Revenue fell for a time because of the epidemic" },
    justifies: [],
    evidence: [],
    review: 'none',
  },
  {
    code: 'epidemic-arrears',
    kind: 'epidemic-effect',
    text: { zh: '疫情期间出现暂时性还款困难或逾期', en: 'Temporary repayment difficulty or arrears during the epidemic' },
    justifies: [],
    evidence: [],
    review: 'none',
  },
  {
    code: 'sector-exposure',
    kind: 'epidemic-effect',
    text: { zh: '所属行业受疫情冲击（批发零售、住宿餐饮、物流运输、文化旅游等）', en: 'Its sector was hit by the epidemic (wholesale and retail, hotels and catering, logistics, culture and tourism …)' },
    justifies: [],
    evidence: [],
    review: 'none',
  },
  {
    code: 'epidemic-liquidity-strain',
    kind: 'epidemic-effect',
    text: { zh: '疫情导致的暂时性资金周转紧张', en: 'A temporary cash-flow squeeze caused by the epidemic' },
    justifies: [],
    evidence: [],
    review: 'none',
  },
]

/**
 * The guard's policy as first recorded: the notice of 2020-02-10 (item 8) asks that firms with
 * prospects hit by the epidemic not have their credit blindly called, cut off or squeezed.
 */
export const NO_BLIND_WITHDRAWAL_2020: GuardPolicy = Object.freeze<GuardPolicy>({
  id: 'no-blind-withdrawal',
  version: 1,
  effectiveFrom: parseDate('2020-02-10'),
  effectiveTo: null,
  title: { zh: '不得盲目抽贷、断贷、压贷', en: 'No blind calling, cutting off or squeezing of credit' },
  clause: 'POLICY §4',
  citations: [
    {
      title: '工业和信息化部关于应对新型冠状病毒肺炎疫情帮助中小企业复工复产共渡难关有关工作的通知',
      number: '工信明电〔2020〕14号',
      issuers: ['工业和信息化部'],
      date: parseDate('2020-02-10'),
      article: '三、8. 加大信贷支持力度',
      quote: '推动金融机构对有发展前景但受疫情影响暂遇困难的中小微企业，适当下调贷款利率，增加信用贷款和中长期贷款，不得盲目抽贷、断贷、压贷，对到期还款困难的，可予以展期或续贷。',
    },
  ],
  protection: {
    bases: ['relief-decision', 'affected-viable', 'key-enterprise'],
    // Grades of scoring's default scorecard the bank lends at; CCC and below are not "viable".
    viableGrades: ['AAA', 'AA', 'A', 'BBB', 'BB', 'B'],
    scoreValidityDays: 180,
    reliefTailDays: 0,
  },
  reasons: REASONS,
  // 《商业银行金融资产风险分类办法》(中国银保监会 中国人民银行令2023年第1号): overdue → at least 关注,
  // over 90 days → at least 次级, over 270 → at least 可疑, over 360 → 损失; the bank applies the same
  // floors on earlier dates.
  classificationFloors: [
    { minDaysPastDue: 361, classification: 'loss' },
    { minDaysPastDue: 271, classification: 'doubtful' },
    { minDaysPastDue: 91, classification: 'substandard' },
    { minDaysPastDue: 1, classification: 'special-mention' },
  ],
  verdictValidityHours: 24,
})

/** Every version of the guard policy shipped with the service. */
export const DEFAULT_GUARD_POLICIES: readonly GuardPolicy[] = [NO_BLIND_WITHDRAWAL_2020]
