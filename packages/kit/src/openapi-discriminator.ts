/**
 * OpenAPI's `discriminator` selects a `oneOf` branch only through a `$ref` to a named schema: a
 * client generator given inline branches cannot tell which type a `kind` value means, and linters
 * say so. Route schemas keep their branches inline (the validator needs nothing else, and the
 * test tooling walks one tree), so the document is mended as it is built: every titled inline branch
 * of a discriminated `oneOf` moves to `components.schemas` under its title and is referenced from
 * there, with a `mapping` from each discriminator value to it. A title already taken by another
 * schema keeps its branch inline rather than silently merging two types.
 */

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/** The one value a branch gives the discriminator property (`const`, or an `enum` of one), if any. */
function tagOf(branch: Json, property: string): string | undefined {
  const properties = branch.properties
  if (!isObject(properties)) return undefined
  const tag = properties[property]
  if (!isObject(tag)) return undefined
  if (typeof tag.const === 'string') return tag.const
  if (Array.isArray(tag.enum) && tag.enum.length === 1 && typeof tag.enum[0] === 'string') return tag.enum[0]
  return undefined
}

/**
 * Hoists discriminated inline branches into `components.schemas` of a copy of `given` (the route
 * schemas it was built from may share objects with it, and they stay as they are).
 */
export function hoistDiscriminatedBranches<D extends Json>(given: D): D {
  const document = structuredClone(given)
  const components = isObject(document.components) ? document.components : ((document as Json).components = {})
  const schemas = isObject(components.schemas) ? components.schemas : (components.schemas = {})
  const serialized = new Map<string, string>()

  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item)
      return
    }
    if (!isObject(node)) return
    for (const value of Object.values(node)) visit(value)
    const discriminator = node.discriminator
    if (!Array.isArray(node.oneOf) || !isObject(discriminator) || typeof discriminator.propertyName !== 'string') return
    const property = discriminator.propertyName
    const mapping: Record<string, string> = isObject(discriminator.mapping) ? { ...(discriminator.mapping as Record<string, string>) } : {}
    node.oneOf = node.oneOf.map((branch: unknown) => {
      if (!isObject(branch) || typeof branch.title !== 'string' || branch.$ref !== undefined) return branch
      const tag = tagOf(branch, property)
      if (tag === undefined) return branch
      const name = branch.title
      const text = JSON.stringify(branch)
      const held = serialized.get(name) ?? (schemas[name] === undefined ? undefined : JSON.stringify(schemas[name]))
      if (held !== undefined && held !== text) return branch
      schemas[name] = branch
      serialized.set(name, text)
      const ref = `#/components/schemas/${name}`
      mapping[tag] = ref
      return { $ref: ref }
    })
    if (Object.keys(mapping).length > 0) discriminator.mapping = mapping
  }

  for (const [key, value] of Object.entries(document)) if (key !== 'components') visit(value)
  visit(schemas)
  return document
}
