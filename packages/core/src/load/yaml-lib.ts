import type * as YamlModule from 'yaml';
import { lazyRequire } from '../lazy-require.js';

/** The `yaml` package, loaded when the first file is parsed. */
export const yamlLib = lazyRequire<typeof YamlModule>('yaml');
