/**
 * `npm test`: provides PostgreSQL and Kafka (see infra.ts), type-checks, runs every test file with
 * tap against them, tears everything down and ends with one line `N passed, N failed`.
 *
 *   npm test                         everything
 *   npm test -- packages/events      only test files under the given paths
 *   npm test -- --no-typecheck …     skip `tsc -b` (quicker while iterating)
 *   npm test -- --jobs=1 …           test files one at a time (default: two at a time; fault tests
 *                                    always run alone, after the others)
 */
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MissingInfrastructure, provideInfra } from './infra.js'

const root = resolve(fileURLToPath(import.meta.url), '../../..')
const TEST_ROOTS = ['packages', 'services', 'test']

function testFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) out.push(...testFiles(path))
    else if (entry.endsWith('.test.ts')) out.push(path)
  }
  return out
}

function bin(name: string): string {
  return join(root, 'node_modules', '.bin', name)
}

async function main(): Promise<number> {
  const args = process.argv.slice(2)
  const typecheck = !args.includes('--no-typecheck')
  const jobs = Number(/^--jobs=(\d+)$/.exec(args.find((a) => a.startsWith('--jobs=')) ?? '')?.[1] ?? 2)
  const filters = args.filter((a) => !a.startsWith('--')).map((p) => resolve(p))
  const files = TEST_ROOTS.flatMap((d) => {
    try {
      return testFiles(join(root, d))
    } catch {
      return []
    }
  })
    .filter((f) => filters.length === 0 || filters.some((p) => f.startsWith(p)))
    .map((f) => relative(root, f))
    .sort()
  if (files.length === 0) {
    console.error('harness: no test files matched')
    return 1
  }

  if (typecheck) {
    console.log('harness: type-checking (tsc -b)')
    const tsc = spawnSync(bin('tsc'), ['-b'], { cwd: root, stdio: 'inherit' })
    if (tsc.status !== 0) {
      console.log('0 passed, 1 failed')
      return 1
    }
  }
  // tap rebuilds itself when its configured plugins change, but only from the next run on.
  spawnSync(bin('tap'), ['build'], { cwd: root, stdio: 'ignore' })

  let infra
  try {
    infra = await provideInfra()
  } catch (err) {
    if (err instanceof MissingInfrastructure) {
      console.error(`harness: ${err.message}`)
      console.log('0 passed, 1 failed')
      return 2
    }
    throw err
  }
  for (const line of infra.describe) console.log(`harness: ${line}`)

  // Two files at a time, whatever tap would pick for the machine (one, on two cores): most test
  // time is spent waiting on PostgreSQL, Kafka and timers, not computing. Fault tests run alone
  // afterwards: they kill and restart brokers, databases and services and time their recovery, and
  // a restarted service sheds load (429) while another file competes for the cores.
  const failures = new FailureCollector()
  const env = { ...process.env, ...infra.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' }
  const alone = files.filter(isFaultTest)
  const together = files.filter((f) => !isFaultTest(f))
  const runs: TapRun[] = []
  if (together.length > 0) runs.push(await runTap(together, jobs, env, failures))
  if (alone.length > 0) runs.push(await runTap(alone, 1, env, failures))
  await infra.stop()

  const code = runs.find((r) => r.code !== 0)?.code ?? 0
  const passed = runs.reduce((n, r) => n + r.passed, 0)
  const failed = runs.reduce((n, r) => n + r.failed, 0)
  const skipped = runs.reduce((n, r) => n + r.skipped, 0)
  // CI keeps only the end of a run's output: repeat each failure there, with the subtests it sits in.
  const report = failures.report()
  if (report.length > 0) console.log(['', 'harness: failed assertions', ...report].join('\n'))
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
  return code
}

/** Tests that kill or restart infrastructure and time the recovery: run one at a time, alone. */
function isFaultTest(file: string): boolean {
  return file.startsWith('test/faults/') || /(^|\/)[a-z-]*restart[a-z-]*\.int\.test\.ts$/.test(file)
}

interface TapRun {
  readonly code: number
  readonly passed: number
  readonly failed: number
  readonly skipped: number
}

/** Runs tap over `files`, `jobs` at a time, passing its TAP stream through; its closing counts. */
async function runTap(files: readonly string[], jobs: number, env: NodeJS.ProcessEnv, failures: FailureCollector): Promise<TapRun> {
  let summary = ''
  const code = await new Promise<number>((done) => {
    const child = spawn(bin('tap'), ['--reporter=tap', `--jobs=${jobs}`, ...files], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] })
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk)
      summary = (summary + chunk.toString()).slice(-4_000)
      failures.feed(chunk.toString())
    })
    const forward = (signal: NodeJS.Signals) => child.kill(signal)
    process.once('SIGINT', forward)
    process.once('SIGTERM', forward)
    child.on('close', (status) => {
      process.off('SIGINT', forward)
      process.off('SIGTERM', forward)
      done(status ?? 1)
    })
  })
  // tap's closing line: `# { total: 120, pass: 118, fail: 1, skip: 1 }` (counts of assertions).
  const totals = /# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?(?:, skip: (\d+))?(?:, todo: (\d+))?/.exec(summary)
  const [passed, failed, skipped] = totals ? [Number(totals[2] ?? 0), Number(totals[3] ?? 0), Number(totals[4] ?? 0)] : [0, 1, 0]
  return { code, passed, failed: code !== 0 && failed === 0 ? 1 : failed, skipped }
}

/**
 * Reads tap's TAP stream line by line and keeps every `not ok` line with the names of the subtests
 * around it and the YAML block that explains it.
 */
class FailureCollector {
  private partial = ''
  private readonly subtests: { indent: number; name: string; failed: boolean }[] = []
  private readonly found: string[][] = []
  private open: { indent: number; lines: string[] } | undefined

  feed(text: string): void {
    const lines = (this.partial + text).split('\n')
    this.partial = lines.pop() ?? ''
    for (const line of lines) this.line(line)
  }

  report(): string[] {
    return this.found.flatMap((lines) => [...lines, ''])
  }

  private line(line: string): void {
    const indent = line.length - line.trimStart().length
    const text = line.trim()
    if (this.open) {
      if (indent > this.open.indent && this.open.lines.length < 40) {
        this.open.lines.push(line)
        return
      }
      this.open = undefined
    }
    const subtest = /^# Subtest: (.*)$/.exec(text)
    if (subtest) {
      while (this.subtests.length > 0 && this.subtests[this.subtests.length - 1]!.indent >= indent) this.subtests.pop()
      this.subtests.push({ indent, name: subtest[1]!, failed: false })
      return
    }
    const failure = /^not ok \d+ - (.*?)(?: # .*)?$/.exec(text)
    if (!failure) return
    // A failed subtest is reported again as `not ok` by its parent: keep the failures inside it.
    const closes = this.subtests.find((s) => s.indent === indent && s.name === failure[1])
    if (closes?.failed) return
    const around = this.subtests.filter((s) => s.indent < indent)
    for (const s of around) s.failed = true
    const lines = [[...around.map((s) => s.name), text].join(' > ')]
    this.found.push(lines)
    this.open = { indent, lines }
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('harness:', err)
    console.log('0 passed, 1 failed')
    process.exit(1)
  },
)
