#!/usr/bin/env node
// Makes a fresh clone runnable with nothing but Node.js and npm: installs the workspace with the
// pinned pnpm (through npx, so no global install is needed) when node_modules is missing or older
// than the lockfile. Plain JavaScript: it runs before TypeScript tooling exists.
import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const PNPM = 'pnpm@12.4.2'

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Node.js ${process.versions.node} is too old: this project needs 20.19 or newer (24 LTS recommended).`)
  process.exit(1)
}

const marker = join(root, 'node_modules', '.modules.yaml')
const lock = join(root, 'pnpm-lock.yaml')
const stale = !existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs
if (stale || process.argv.includes('--force')) {
  console.error(`bootstrap: installing dependencies with ${PNPM} …`)
  execFileSync('npx', ['--yes', PNPM, 'install', '--frozen-lockfile'], { cwd: root, stdio: 'inherit', env: { ...process.env, npm_config_yes: 'true' } })
}
