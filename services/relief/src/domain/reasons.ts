import type { LocalizedText } from '@sme/domain'

export type { LocalizedText }

/**
 * Every rule a decision can evaluate. Stable ids: stored with each decision and compared across
 * replays, so a rename is a breaking change.
 */
export const RULE_IDS = [
  // Application-wide
  'USCC_VALID',
  // (for a natural person, in place of USCC_VALID)
  'BORROWER_ID',
  'SME_SIZE',
  'POLICY_IN_FORCE',
  'SCORING_AVAILABLE',
  'CREDIT_SCORE',
  'HARDSHIP_SIGNAL',
  'FIGURES_CONSISTENT',
  // Deferral programmes
  'HARDSHIP_DECLARED',
  'BORROWER_ELIGIBLE',
  'PROGRAMME_REGION',
  'DUE_DATE_WINDOW',
  'DEFERRAL_LIMIT',
  'BORROWER_APPLIED',
  'GUARANTEE_KEPT',
  'JOBS_COMMITMENT',
  'MANDATORY_GRANT',
  'NEGOTIATED_ARRANGEMENT',
  // Extension
  'EXTENSION_BEFORE_MATURITY',
  'EXTENSION_CAP',
  'GUARANTOR_CONSENT',
  // Renewal
  'RENEWAL_PRODUCT',
  'RENEWAL_BORROWER',
  'RENEWAL_BEFORE_MATURITY',
  'RENEWAL_ORIGINAL_NORMAL',
  'RENEWAL_LAWFUL_STABLE',
  'RENEWAL_NO_DIVERTED_FUNDS',
  'RENEWAL_NO_UNPAID_INTEREST',
  'RENEWAL_NO_DEBT_EVASION',
  'RENEWAL_LENDING_STANDARDS',
  // Any relief, when the application names its documents outstanding
  'DOCUMENTS_COMPLETE',
] as const
export type RuleId = (typeof RULE_IDS)[number]

/**
 * The reason-code catalogue: stable code → texts. A rule result carries one code; the code tells
 * which way the rule went (`RL_USCC_VALID` / `RL_USCC_INVALID`), the `details` of the result carry
 * the figures, so the texts never need interpolation and stay stable for translation and reporting.
 */
export const REASON_TEXTS = {
  // Outcome-level
  RL_ALL_RULES_PASSED: { zh: '全部规则通过，自动批准', en: 'All rules passed: approved automatically' },

  // DOCUMENTS_COMPLETE (容缺办理: POLICY §2, 2022-11-14 notice)
  RL_DOCUMENTS_COMPLETE: { zh: '申请材料齐全', en: 'The application’s documents are complete' },
  RL_DOCUMENTS_TO_FOLLOW: { zh: '本计划允许容缺办理：所缺材料在期限内补齐', en: 'The programme lets the missing documents follow: they are due by the deadline' },
  RL_DOCUMENTS_MISSING: { zh: '申请材料不全且本计划不允许容缺办理，转人工审查', en: 'Documents are missing and the programme does not let them follow: referred to an officer' },

  // USCC_VALID (POLICY §1 Identifier)
  RL_USCC_VALID: { zh: '统一社会信用代码校验通过', en: 'The unified social credit code is valid' },
  RL_USCC_EXCEPTION: {
    zh: '统一社会信用代码校验位不符，但列入已登记原因的例外名单',
    en: 'The unified social credit code fails a check but is on the documented exception list',
  },
  RL_USCC_INVALID: { zh: '统一社会信用代码无效，无法确认借款人身份', en: 'The unified social credit code is invalid: the borrower cannot be identified' },

  // BORROWER_ID (natural persons: a pseudonymous id, never the identity number)
  RL_BORROWER_ID_PSEUDONYMOUS: {
    zh: '自然人借款人以核心系统的化名编号识别，不含身份证号码',
    en: 'The natural-person borrower is identified by core banking’s pseudonymous id, which holds no identity number',
  },
  RL_BORROWER_ID_HOLDS_IDENTITY_NUMBER: {
    zh: '借款人编号含居民身份证号码，平台不保存个人身份证号码，无法受理',
    en: 'The borrower id holds a resident identity number, which the platform does not keep: the application cannot be decided',
  },

  // SME_SIZE (POLICY §1 Size)
  RL_SIZE_CLASSIFIED: { zh: '已按中小企业划型标准确定企业规模', en: 'Enterprise size classified under the SME size standard' },
  RL_SIZE_UNKNOWN: { zh: '企业规模数据不全，无法划型', en: 'Size data incomplete: the enterprise cannot be classified' },
  RL_SIZE_NOT_APPLICABLE_PERSON: { zh: '自然人借款人不适用企业划型，按其身份适用政策', en: 'A natural person has no enterprise size: the programmes cover persons by role' },

  // FIGURES_CONSISTENT (POLICY §1 Size, against the scored data)
  RL_FIGURES_CONSISTENT: { zh: '申请所报营业收入、从业人员与评分数据相符（未相差一个数量级）', en: 'Revenue and employees on the application agree with the scored data (within an order of magnitude)' },
  RL_FIGURES_IMPLAUSIBLE: {
    zh: '申请所报营业收入或从业人员与纳税申报、社保数据相差十倍以上，企业规模存疑，转人工审查',
    en: 'Revenue or employees on the application differ tenfold or more from the tax returns or insured headcount: the size is in doubt, referred for officer review',
  },
  RL_FIGURES_NOT_COMPARABLE: { zh: '申请或评分数据缺少营业收入、从业人员，无法比对', en: 'Revenue and employees cannot be compared: missing on the application or in the scored data' },

  // POLICY_IN_FORCE
  RL_POLICY_IN_FORCE: { zh: '申请日有适用的政策或规则', en: 'A programme or rule set applies on the application date' },
  RL_NO_PROGRAMME_IN_FORCE: { zh: '申请日无有效的延期还本付息政策', en: 'No deferral programme is in force on the application date' },
  RL_NO_RULES_IN_FORCE: { zh: '申请日无有效的展期或续贷规则', en: 'No extension or renewal rules are in force on the application date' },

  // SCORING_AVAILABLE
  RL_SCORING_AVAILABLE: { zh: '已取得信用评分', en: 'Credit score received' },
  RL_PERSON_NOT_SCORED: {
    zh: '评分服务只评价企业，自然人借款人的还款能力由客户经理评估，转人工审查',
    en: 'The scoring service scores enterprises: an officer assesses a natural person’s repayment capacity (referred)',
  },
  RL_SCORING_UNAVAILABLE: {
    // One code for a timeout and a refusal to score: the decision's scoring record says which.
    zh: '未取得信用评分（评分服务未在规定时间内答复，或无法评分），转人工审查',
    en: 'No credit score (scoring did not answer in time, or could not score the firm): referred for officer review',
  },

  // CREDIT_SCORE
  RL_SCORE_ACCEPTABLE: { zh: '信用评分达到自动审批标准', en: 'The credit score meets the automatic-approval thresholds' },
  RL_SCORE_BELOW_THRESHOLD: {
    zh: '信用评分、违约概率或等级未达自动审批标准，转人工审查',
    en: 'Score, probability of default or grade short of the automatic-approval thresholds: referred',
  },
  RL_SCORE_NOT_ASSESSED: { zh: '无评分结果，未评估', en: 'No score to assess' },

  // HARDSHIP_SIGNAL (POLICY §6)
  RL_HARDSHIP_TEMPORARY: { zh: '经营数据显示为疫情造成的暂时性困难', en: 'Operating data show a temporary shock from the crisis' },
  RL_HARDSHIP_STRUCTURAL: { zh: '经营数据显示非疫情原因的持续下滑（结构性衰退）', en: 'Operating data show a structural decline, not the crisis alone' },
  RL_HARDSHIP_NONE: { zh: '经营数据未显示困难', en: 'Operating data show no hardship' },
  RL_HARDSHIP_INSUFFICIENT_DATA: { zh: '经营数据不足，无法判断困难性质', en: 'Not enough operating data to tell the kind of hardship' },
  RL_HARDSHIP_NOT_ASSESSED: { zh: '无评分结果，未判断困难性质', en: 'No scoring result: hardship not assessed' },

  // HARDSHIP_DECLARED
  RL_HARDSHIP_DECLARED: { zh: '借款人已申报经营困难', en: 'The borrower declared hardship' },
  RL_HARDSHIP_NOT_DECLARED: { zh: '借款人未申报经营困难', en: 'The borrower declared no hardship' },
  RL_HARDSHIP_DECLARATION_NOT_REQUIRED: { zh: '本政策不以申报困难为条件', en: 'The programme does not ask for a hardship declaration' },

  // BORROWER_ELIGIBLE
  RL_BORROWER_ELIGIBLE: { zh: '借款人属于政策支持对象', en: "The borrower is within the programme's scope" },
  RL_BORROWER_REGION_ALL_ENTERPRISES: {
    zh: '借款人位于政策规定的地区（湖北），所有企业均可适用',
    en: 'The borrower operates in a region where all enterprises qualify (Hubei)',
  },
  RL_PERSON_COVERED: { zh: '本计划文件明确列举该类自然人借款人', en: 'The programme’s text names this kind of natural-person borrower' },
  RL_PERSON_NOT_COVERED: { zh: '本计划文件未列举该类自然人借款人', en: 'The programme’s text does not name this kind of natural-person borrower' },
  RL_PERSON_INTEREST_NOT_NAMED: {
    zh: '本计划文件仅就贷款本金列举该类自然人，利息延期由客户经理审查',
    en: 'The programme’s text names this kind of person for the principal only: deferring their interest is for an officer',
  },
  RL_PERSON_LOAN_NOT_BUSINESS: {
    zh: '本计划仅适用于该类自然人的经营性贷款，本笔贷款非经营性',
    en: 'The programme covers only this kind of person’s business loans (经营性贷款), and this loan is not one',
  },
  RL_PROGRAMME_PERSONS_ONLY: { zh: '本计划仅适用于文件列举的自然人借款人', en: 'The programme covers only the natural persons its text names, no enterprise' },
  RL_BORROWER_INELIGIBLE: { zh: '借款人不属于政策支持对象', en: "The borrower is outside the programme's scope" },
  RL_BORROWER_SIZE_UNKNOWN: {
    zh: '企业规模数据不全，无法确定是否属于支持对象',
    en: 'Size data incomplete: cannot tell whether the borrower qualifies',
  },

  // DUE_DATE_WINDOW
  RL_DUE_IN_WINDOW: { zh: '到期日在政策规定的期间内', en: "The due date is within the programme's window" },
  RL_DUE_OUTSIDE_WINDOW: { zh: '到期日不在政策规定的期间内', en: "The due date is outside the programme's window" },

  // DEFERRAL_LIMIT
  RL_DEFERRAL_DATE_FOR_OFFICER: { zh: '政策未规定延期最迟日期，由银行视情合理确定', en: 'The text sets no latest date: the officer agrees the date as the case warrants' },
  RL_DEFERRAL_WITHIN_LIMIT: { zh: '延期不超过政策规定的最迟日期', en: 'The deferral ends no later than the programme allows' },
  RL_DEFERRAL_BEYOND_LIMIT: { zh: '延期超过政策规定的最迟日期', en: 'The deferral ends later than the programme allows' },
  RL_DEFERRAL_BEYOND_LIMIT_IN_PRINCIPLE: {
    zh: '延期超过政策原则上的最迟日期，需人工审查',
    en: 'The deferral ends later than the programme allows in principle: an officer decides',
  },

  // PROGRAMME_REGION
  RL_PROGRAMME_REGION: { zh: '企业所在地区适用本政策', en: 'The firm is in a region the programme covers' },
  RL_OUTSIDE_PROGRAMME_REGION: { zh: '企业所在地区不适用本政策', en: 'The firm is outside the regions the programme covers' },

  // NEGOTIATED_ARRANGEMENT
  RL_NEGOTIATED_NOT_NEEDED: { zh: '无需另行协商', en: 'Nothing to agree beyond the programme' },
  RL_NEGOTIATED_ARRANGEMENT: {
    zh: '超出政策条件，可由企业与银行自主协商延期安排，转人工审查',
    en: 'Beyond the programme: the bank and the firm may agree a deferral; referred to an officer',
  },
  RL_NEGOTIATED_OUT_OF_SCOPE: {
    zh: '不属于可自主协商延期的范围',
    en: 'Outside what the programme leaves to agreement',
  },

  // BORROWER_APPLIED
  RL_BORROWER_APPLIED: { zh: '由借款人申请', en: 'The borrower applied' },
  RL_BANK_INITIATED: { zh: '非借款人申请（银行发起）', en: 'Not applied for by the borrower (bank-initiated)' },
  RL_APPLICATION_NOT_REQUIRED: { zh: '本政策不以借款人申请为条件', en: "The programme does not ask for the borrower's own application" },

  // GUARANTEE_KEPT
  RL_GUARANTEE_KEPT: {
    zh: '承诺保持有效担保（或提供替代），担保人已书面同意',
    en: "Effective guarantee kept (or substituted), with the guarantor's written consent",
  },
  RL_GUARANTEE_NOT_KEPT: {
    zh: '未承诺保持有效担保，或担保人未书面同意',
    en: 'No commitment to keep an effective guarantee, or no written consent from the guarantor',
  },
  RL_UNSECURED_LOAN: { zh: '信用贷款，无担保需要保持', en: 'Unsecured loan: no guarantee to keep' },
  RL_GUARANTEE_NOT_REQUIRED: { zh: '本政策不以保持担保为条件', en: 'The programme does not ask for a guarantee commitment' },

  // JOBS_COMMITMENT
  RL_JOBS_COMMITTED: { zh: '承诺保持就业岗位基本稳定', en: 'Committed to keep jobs stable' },
  RL_JOBS_NOT_COMMITTED: { zh: '未承诺保持就业岗位基本稳定', en: 'No commitment to keep jobs stable' },
  RL_JOBS_NOT_REQUIRED: { zh: '本政策不以稳岗承诺为条件', en: 'The programme does not ask for a jobs commitment' },

  // MANDATORY_GRANT
  RL_MANDATORY_GRANT: {
    zh: '符合应延尽延条件，必须办理延期，任何规则或人工审查均不得拒绝',
    en: 'Mandatory grant: all conditions hold, so it must be granted; no rule or officer may decline it',
  },
  RL_MANDATORY_CONDITIONS_NOT_MET: {
    zh: '不满足必须延期的全部条件，按一般规则审查',
    en: 'Not every mandatory-grant condition holds: decided under the ordinary rules',
  },
  RL_PROGRAMME_DISCRETIONARY: { zh: '本政策非强制，由银行审查决定', en: 'A discretionary programme: no mandatory grant' },

  // EXTENSION_BEFORE_MATURITY
  RL_EXTENSION_APPLIED_IN_TIME: { zh: '在贷款到期日前申请展期', en: 'Extension applied for before maturity' },
  RL_EXTENSION_APPLIED_LATE: { zh: '未在贷款到期日前申请展期', en: 'Extension not applied for before maturity' },

  // EXTENSION_CAP
  RL_EXTENSION_WITHIN_CAP: { zh: '累计展期期限未超过上限', en: 'Cumulative extension within the cap' },
  RL_EXTENSION_WITHIN_STATE_CAP: {
    zh: '累计展期期限未超过国家另行规定的上限',
    en: 'Cumulative extension within the cap the state provides for this loan instead',
  },
  RL_EXTENSION_BEYOND_STATE_CAP: {
    zh: '累计展期期限超过国家另行规定的上限',
    en: 'Cumulative extension beyond the cap the state provides for this loan instead',
  },
  RL_EXTENSION_BEYOND_CAP: {
    zh: '累计展期期限超过上限（短期贷款不超过原期限，中期不超过原期限一半，长期不超过三年）',
    en: 'Cumulative extension beyond the cap (short term: the original term; medium term: half of it; long term: 3 years)',
  },

  // GUARANTOR_CONSENT
  RL_GUARANTOR_CONSENT: { zh: '保证人、抵押人或出质人已书面同意', en: 'The guarantor, mortgagor or pledgor consented in writing' },
  RL_GUARANTOR_NO_CONSENT: { zh: '保证人、抵押人或出质人未书面同意', en: 'No written consent from the guarantor, mortgagor or pledgor' },
  RL_GUARANTOR_CONSENT_IN_CONTRACT: {
    zh: '担保合同已约定同意展期，按照约定执行',
    en: 'The security contract already agrees to extension: applied as agreed',
  },

  // RENEWAL_PRODUCT / RENEWAL_BORROWER / RENEWAL_BEFORE_MATURITY
  RL_RENEWAL_CONDITION_NOT_REQUIRED: {
    zh: '仅适用于无还本续贷',
    en: 'Applies to renewal without principal repayment only',
  },
  RL_RENEWAL_PRODUCT_ELIGIBLE: { zh: '流动资金贷款，适用无还本续贷', en: 'Working-capital loan: eligible for renewal without principal repayment' },
  RL_RENEWAL_PERSON_BUSINESS_LOAN: {
    zh: '小微企业主、个体工商户或农户的经营性贷款，可办理无还本续贷',
    en: 'A business loan of a small-business owner, individual business or farmer: may be renewed without repaying principal',
  },
  RL_RENEWAL_INDIVIDUAL_BUSINESS_LOAN: {
    zh: '个体工商户经营性贷款，适用无还本续贷',
    en: 'A business loan of an individual business: eligible for renewal without principal repayment',
  },
  RL_RENEWAL_PRODUCT_INELIGIBLE: { zh: '非流动资金贷款，不适用无还本续贷', en: 'Not a working-capital loan: no renewal without principal repayment' },
  RL_RENEWAL_BORROWER_SMALL_MICRO: { zh: '小微企业（含个体工商户），适用无还本续贷', en: 'Small or micro enterprise (or individual business): eligible' },
  RL_RENEWAL_BORROWER_MEDIUM: { zh: '中型企业，贷款在规定日期前到期，适用无还本续贷', en: 'Medium enterprise, loan maturing before the cut-off date: eligible' },
  RL_RENEWAL_MEDIUM_AFTER_CUTOFF: {
    zh: '中型企业贷款未在规定日期前到期，不适用无还本续贷',
    en: 'Medium enterprise, loan not maturing before the cut-off date: not eligible',
  },
  RL_RENEWAL_BORROWER_INELIGIBLE: { zh: '借款人规模不适用无还本续贷', en: 'The borrower’s size is not eligible for renewal without principal repayment' },
  RL_RENEWAL_IN_TIME: { zh: '可在原贷款到期前签订新合同', en: 'The new contract can be signed before the old loan matures' },
  RL_RENEWAL_TOO_LATE: { zh: '已无法在原贷款到期前签订新合同', en: 'Too late to sign the new contract before the old loan matures' },

  // Keep-normal conditions of a renewal
  RL_ORIGINAL_NORMAL: { zh: '原贷款为正常类', en: 'The original loan is classified normal' },
  RL_ORIGINAL_NOT_NORMAL: { zh: '原贷款非正常类', en: 'The original loan is not classified normal' },
  RL_LAWFUL_STABLE: { zh: '借款人依法合规、经营稳定', en: 'The borrower operates lawfully and stably' },
  RL_NOT_LAWFUL_STABLE: { zh: '借款人未能证明依法合规、经营稳定', en: 'Lawful, stable operation not shown' },
  RL_NO_DIVERTED_FUNDS: { zh: '无挪用贷款资金', en: 'No loan funds diverted' },
  RL_FUNDS_DIVERTED: { zh: '存在挪用贷款资金', en: 'Loan funds were diverted' },
  RL_NO_UNPAID_INTEREST: { zh: '无欠息、无逾期', en: 'No unpaid interest and nothing past due' },
  RL_UNPAID_INTEREST: { zh: '存在欠息或逾期', en: 'Unpaid interest or amounts past due' },
  RL_NO_DEBT_EVASION: { zh: '无逃废债行为', en: 'No debt evasion' },
  RL_DEBT_EVASION: { zh: '存在逃废债行为', en: 'Debt evasion' },
  RL_MEETS_LENDING_STANDARDS: { zh: '符合贷款条件（信用评分达标）', en: 'Meets the lending standards (score and PD)' },
  RL_BELOW_LENDING_STANDARDS: { zh: '不符合贷款条件（信用评分未达标）', en: 'Does not meet the lending standards (score or PD)' },
  RL_LENDING_STANDARDS_UNKNOWN: { zh: '无评分结果，无法确认是否符合贷款条件', en: 'No score: the lending standards cannot be confirmed' },

  // Officer review (maker-checker, domain/lifecycle.ts): why a final outcome came from people, not rules
  RV_APPROVED_ON_REVIEW: { zh: '经审查人员提议并复核，予以批准', en: 'Approved on officer review (proposed and confirmed by two people)' },
  RV_DECLINED_ON_REVIEW: { zh: '经审查人员提议并复核，不予批准', en: 'Declined on officer review (proposed and confirmed by two people)' },
  RV_OVERTURNED: { zh: '审查人员推翻了规则的自动结论（双人复核）', en: 'Officer review overturned the automated outcome (four-eyes)' },
} as const satisfies Record<string, LocalizedText>

/** A stable reason code of {@link REASON_TEXTS}. */
export type ReasonCode = keyof typeof REASON_TEXTS

/** The texts of a reason code. */
export function reasonText(code: ReasonCode): LocalizedText {
  return REASON_TEXTS[code]
}
