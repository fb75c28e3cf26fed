import type { CalendarDate } from './dates.js'

/** An official text a policy record implements, and the words of the clause it applies. */
export interface Citation {
  /** The official title, in Chinese as published (《贷款通则》). */
  readonly title: string
  /** The document number (银发〔2020〕122号), or `null` when it has none. */
  readonly number: string | null
  /** Who issued it, in the order the text lists them. */
  readonly issuers: readonly string[]
  /** Date of issue or publication (Asia/Shanghai). */
  readonly date: CalendarDate
  /** The article, item or section applied (第十二条). */
  readonly article: string
  /** The clause, quoted in Chinese. */
  readonly quote: string
}
