import type * as AjvModule from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { formatFieldPath, type FieldPath } from '../diagnostics/field-path.js';
import { API_VERSION, KINDS, type Kind, type LoadedDocument, type LoadedObject, type PolicyObject } from '../model/kinds.js';
import { commonSchema, schemaFileOfKind, schemaOfKind } from '../schemas/load-schemas.js';
import { lazyRequire } from '../lazy-require.js';
import { closest } from './suggest.js';

const ajvModule = lazyRequire<typeof AjvModule>('ajv/dist/2020.js');
let ajv: AjvModule.Ajv2020 | undefined;
const compiled = new Map<Kind, ValidateFunction>();

/** The validator of one kind, compiled on first use and kept: a file of Services does not compile the Rollout schema. */
function validatorOf(kind: Kind): ValidateFunction {
  const known = compiled.get(kind);
  if (known) return known;
  if (!ajv) {
    ajv = new (ajvModule().Ajv2020)({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
    ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i);
    ajv.addSchema(commonSchema());
  }
  const validate = ajv.compile(schemaOfKind(kind));
  compiled.set(kind, validate);
  return validate;
}

/**
 * Checks documents against the JSON Schema of their kind. Returns the valid objects and a
 * diagnostic for every violation (all of them, not the first).
 */
export function validateSchemas(documents: readonly LoadedDocument[]): {
  objects: LoadedObject[];
  diagnostics: Diagnostic[];
} {
  const objects: LoadedObject[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const doc of documents) {
    const found = checkHeader(doc);
    if ('diagnostic' in found) {
      diagnostics.push(found.diagnostic);
      continue;
    }
    const validate = validatorOf(found.kind);
    if (validate(doc.value)) {
      objects.push({ object: doc.value as PolicyObject, source: doc.source, positionOf: doc.positionOf });
      continue;
    }
    const objectName = describeObject(doc.value, found.kind);
    for (const error of relevantErrors(validate.errors ?? [], doc.value)) {
      diagnostics.push(toDiagnostic(error, doc, found.kind, objectName));
    }
  }
  return { objects, diagnostics };
}

function checkHeader(doc: LoadedDocument): { kind: Kind } | { diagnostic: Diagnostic } {
  const v = doc.value;
  const at = (path: FieldPath) => ({ ...doc.positionOf(path), path: formatFieldPath(path) });
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return {
      diagnostic: {
        code: 'AM1006',
        severity: 'error',
        ...at([]),
        message: `a policy document must be a mapping with apiVersion, kind, metadata and spec, got ${describeValue(v)}`,
      },
    };
  }
  const { apiVersion, kind } = v as { apiVersion?: unknown; kind?: unknown };
  if (apiVersion !== API_VERSION) {
    return {
      diagnostic: {
        code: 'AM1007',
        severity: 'error',
        ...at(apiVersion === undefined ? [] : ['apiVersion']),
        path: 'apiVersion',
        message:
          apiVersion === undefined
            ? `missing apiVersion; set apiVersion: ${API_VERSION}`
            : `unknown apiVersion ${JSON.stringify(apiVersion)}; anymesh reads ${API_VERSION}`,
      },
    };
  }
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    const hint = typeof kind === 'string' ? closest(kind, KINDS) : undefined;
    return {
      diagnostic: {
        code: 'AM1008',
        severity: 'error',
        ...at(kind === undefined ? [] : ['kind']),
        path: 'kind',
        message: `unknown kind ${JSON.stringify(kind)}; expected one of ${KINDS.join(', ')}${hint ? ` (did you mean ${hint}?)` : ''}`,
      },
    };
  }
  return { kind: kind as Kind };
}

/**
 * ajv reports every failing branch of a `oneOf`. When the data clearly chose a branch (it has that
 * branch's required key), keep only that branch's errors; otherwise keep only the `oneOf` error.
 */
function relevantErrors(errors: readonly ErrorObject[], data: unknown): ErrorObject[] {
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf');
  const dropped = new Set<ErrorObject>();
  for (const one of oneOfs) {
    const branchErrors = errors.filter(
      (e) => e !== one && e.schemaPath.startsWith(`${one.schemaPath}/`) && isWithin(e.instancePath, one.instancePath),
    );
    const value = valueAt(data, one.instancePath);
    const chosen = chosenBranch(one, value);
    if (chosen === undefined) {
      branchErrors.forEach((e) => dropped.add(e));
    } else {
      dropped.add(one);
      for (const e of branchErrors) if (!e.schemaPath.startsWith(`${one.schemaPath}/${chosen}/`)) dropped.add(e);
    }
  }
  return errors.filter((e) => !dropped.has(e));
}

function chosenBranch(one: ErrorObject, value: unknown): number | undefined {
  const branches = (one.schema as { required?: string[] }[] | undefined) ?? [];
  if (value === null || typeof value !== 'object') return undefined;
  const keys = Object.keys(value);
  const candidates = branches
    .map((b, i) => ({ i, req: b.required ?? [] }))
    .filter((b) => b.req.length > 0 && b.req.every((r) => keys.includes(r)));
  return candidates.length === 1 ? candidates[0]!.i : undefined;
}

function isWithin(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}/`);
}

function toDiagnostic(error: ErrorObject, doc: LoadedDocument, kind: Kind, object: string): Diagnostic {
  const base = pointerToPath(error.instancePath);
  const { code, path, message } = describe(error, base, kind);
  const pos = doc.positionOf(path);
  return { code, severity: 'error', ...pos, path: formatFieldPath(path), message, object };
}

function describe(error: ErrorObject, base: FieldPath, kind: Kind): { code: DiagnosticCode; path: FieldPath; message: string } {
  const params = error.params as Record<string, unknown>;
  const isDuration = error.schemaPath.includes('/$defs/Duration');
  const isPercent = error.schemaPath.includes('/$defs/Percent');
  const value = JSON.stringify(error.data);
  const where = formatFieldPath(base) || kind;
  switch (error.keyword) {
    case 'required': {
      const field = String(params.missingProperty);
      return {
        code: 'AM2001',
        path: [...base, field],
        message: `${where} is missing required field "${field}"; add it (see ${schemaFileOfKind(kind)})`,
      };
    }
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const hint = closest(field, known);
      return {
        code: 'AM2002',
        path: [...base, field],
        message: `unknown field "${field}" in ${where}${hint ? `; did you mean "${hint}"?` : ''}; known fields: ${known.join(', ')}`,
      };
    }
    case 'type':
      return { code: 'AM2003', path: base, message: `${where} must be ${params.type as string}, got ${describeValue(error.data)}` };
    case 'pattern':
      if (isDuration)
        return {
          code: 'AM3007',
          path: base,
          message: `${where} is not a duration: ${value}; write a number with a unit (ms, s, m, h), e.g. "500ms" or "1m30s"`,
        };
      return { code: 'AM2004', path: base, message: `${where} ${value} does not match the pattern ${params.pattern as string}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      if (isPercent) return { code: 'AM3008', path: base, message: `${where} is not a percentage: ${value}; use a number from 0 to 100` };
      return {
        code: 'AM2005',
        path: base,
        message: `${where} is ${value} but ${error.message ?? 'out of range'}`,
      };
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
    case 'minLength':
    case 'maxLength':
      return { code: 'AM2005', path: base, message: `${where} ${error.message ?? 'has the wrong size'}` };
    case 'enum':
      return {
        code: 'AM2004',
        path: base,
        message: `${where} is ${value}; allowed values: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { code: 'AM2004', path: base, message: `${where} is ${value}; it must be ${JSON.stringify(params.allowedValue)}` };
    case 'oneOf': {
      const branches = (error.schema as { required?: string[]; properties?: object }[]) ?? [];
      const options = branches.map((b) => (b.required ?? []).join('+'));
      const allowed = branches.flatMap((b) => Object.keys(b.properties ?? {}));
      const stray = Object.keys(typeof error.data === 'object' && error.data !== null ? error.data : {}).filter(
        (k) => !allowed.includes(k),
      );
      const hint = stray.map((k) => `unknown field "${k}"${closest(k, allowed) ? ` (did you mean "${closest(k, allowed)}"?)` : ''}`);
      return {
        code: 'AM2006',
        path: base,
        message: `${where} must set exactly one of: ${options.join(', ')}; got ${value}${hint.length ? `: ${hint.join(', ')}` : ''}`,
      };
    }
    case 'not': {
      const both = ((error.schema as { required?: string[] }).required ?? []).join('" and "');
      return { code: 'AM2006', path: base, message: `${where} sets both "${both}", which exclude each other; keep one` };
    }
    case 'propertyNames': {
      const name = String(params.propertyName);
      return { code: 'AM2004', path: [...base, name], message: `${where} has an invalid key "${name}"` };
    }
    case 'uniqueItems':
      return {
        code: 'AM2004',
        path: base,
        message: `${where} lists the same item twice (items ${params.j as number} and ${params.i as number}); remove the repeat`,
      };
    case 'format':
      return { code: 'AM2004', path: base, message: `${where} ${value} is not a valid ${params.format as string}` };
    default:
      return { code: 'AM2004', path: base, message: `${where} ${error.message ?? 'is invalid'}` };
  }
}

function pointerToPath(pointer: string): FieldPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function valueAt(data: unknown, pointer: string): unknown {
  let cur = data;
  for (const part of pointerToPath(pointer)) cur = (cur as Record<string | number, unknown> | undefined)?.[part];
  return cur;
}

function describeObject(value: unknown, kind: Kind): string {
  const meta = (value as { metadata?: { name?: unknown; namespace?: unknown } }).metadata;
  const name = typeof meta?.name === 'string' ? meta.name : '?';
  const ns = typeof meta?.namespace === 'string' ? meta.namespace : 'default';
  return `${kind}/${ns}/${name}`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}
