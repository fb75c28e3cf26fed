import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Constructs a pure domain module must not contain: I/O, the clock, randomness, float rounding. */
export const IMPURE: readonly (readonly [RegExp, string])[] = [
  [/\bDate\.now\s*\(/, 'reads the clock'],
  [/\bnew Date\s*\(/, 'creates a Date (reads the clock when called without arguments)'],
  [/\bperformance\.now\s*\(/, 'reads the clock'],
  [/\bMath\.random\s*\(/, 'randomness'],
  [/\bprocess\./, 'reads the environment'],
  [/\b(?:fetch|require)\s*\(/, 'I/O or CommonJS'],
  [/\bconsole\./, 'logging is I/O'],
  [/\bparseFloat\s*\(|\bMath\.round\s*\(/, 'float rounding'],
]

export interface PurityFinding {
  file: string
  problem: string
}

/**
 * Checks the `.ts` files of a directory for impure constructs and for imports outside `allowImports`
 * (relative `.js` modules of the same directory are always allowed). Pure rules are promised by
 * design; this keeps a later edit from breaking the promise unnoticed.
 */
export function purityFindings(dir: string, options: { allowImports?: readonly string[]; extra?: readonly (readonly [RegExp, string])[]; except?: Record<string, readonly RegExp[]> } = {}): { files: number; findings: PurityFinding[] } {
  const files = readdirSync(dir).filter((name) => name.endsWith('.ts'))
  const findings: PurityFinding[] = []
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8')
    for (const [pattern, why] of [...IMPURE, ...(options.extra ?? [])]) {
      if (options.except?.[file]?.some((p) => p.source === pattern.source)) continue
      if (pattern.test(text)) findings.push({ file, problem: why })
    }
    for (const match of text.matchAll(/\bfrom\s+'([^']+)'/g)) {
      const spec = match[1]!
      if (!/^\.\/[a-z0-9-]+\.js$/.test(spec) && !(options.allowImports ?? []).includes(spec)) findings.push({ file, problem: `imports ${spec}` })
    }
  }
  return { files: files.length, findings }
}
