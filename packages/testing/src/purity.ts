import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'

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

/** The `.ts` files under `dir`, sub-folders included, as paths relative to it. */
function sourcesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    const path = prefix ? `${prefix}/${name}` : name
    if (statSync(join(dir, path)).isDirectory()) return sourcesUnder(dir, path)
    return name.endsWith('.ts') ? [path] : []
  })
}

/**
 * Checks the `.ts` files of a directory and its sub-folders for impure constructs and for imports
 * outside `allowImports`. Relative `.js` modules inside the directory are always allowed, from any
 * depth (`./x.js`, `../x.js`, `./rules/x.js`); a relative import that leaves the directory is not.
 * Pure rules are promised by design; this keeps a later edit from breaking the promise unnoticed.
 * `except` is keyed by the file's path relative to the directory.
 */
export function purityFindings(dir: string, options: { allowImports?: readonly string[]; extra?: readonly (readonly [RegExp, string])[]; except?: Record<string, readonly RegExp[]> } = {}): { files: number; findings: PurityFinding[] } {
  const root = resolve(dir)
  const files = sourcesUnder(root)
  const findings: PurityFinding[] = []
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8')
    for (const [pattern, why] of [...IMPURE, ...(options.extra ?? [])]) {
      if (options.except?.[file]?.some((p) => p.source === pattern.source)) continue
      if (pattern.test(text)) findings.push({ file, problem: why })
    }
    for (const match of text.matchAll(/\bfrom\s+'([^']+)'/g)) {
      const spec = match[1]!
      if ((options.allowImports ?? []).includes(spec)) continue
      const inside = /^\.\.?\/[a-z0-9/.-]+\.js$/.test(spec) && !relative(root, resolve(dirname(join(root, file)), spec)).startsWith(`..${sep}`)
      if (!inside) findings.push({ file, problem: `imports ${spec}` })
    }
  }
  return { files: files.length, findings }
}
