import type { PluginDefinition } from '../pipeline/plugin.ts';
import { accessLogDefinition } from './access-log/index.ts';
import { metricsDefinition } from './metrics/index.ts';
import { rateLimitDefinition } from './rate-limit/index.ts';
import { costDefinition } from './cost/index.ts';
import { keyAuthDefinition } from './key-auth/index.ts';
import { jwtDefinition } from './jwt/index.ts';
import { anonymousDefinition } from './anonymous/index.ts';
import { byokDefinition } from './byok/index.ts';
import { piiDefinition } from './pii/index.ts';
import { promptGuardDefinition } from './prompt-guard/index.ts';
import { contentRulesDefinition } from './content-rules/index.ts';
import { promptTemplateDefinition } from './prompt-template/index.ts';
import { promptDecoratorDefinition } from './prompt-decorator/index.ts';
import { outputValidationDefinition } from './output-validation/index.ts';
import { usageLedgerDefinition } from './usage-ledger/index.ts';
import { cacheDefinition } from './cache/index.ts';

/** Every built-in plugin by name. Add a plugin: add its definition here. */
export const pluginDefinitions: ReadonlyMap<string, PluginDefinition> = new Map(
  ([accessLogDefinition, metricsDefinition, rateLimitDefinition, costDefinition, piiDefinition, promptGuardDefinition, keyAuthDefinition, jwtDefinition, anonymousDefinition, byokDefinition, usageLedgerDefinition, contentRulesDefinition, promptTemplateDefinition, promptDecoratorDefinition, outputValidationDefinition, cacheDefinition] as PluginDefinition[]).map((definition) => [definition.name, definition]),
);
