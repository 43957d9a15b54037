import type { PluginDefinition } from '../pipeline/plugin.ts';
import { accessLogDefinition } from './access-log/definition.ts';
import { anonymousDefinition } from './anonymous/definition.ts';
import { byokDefinition } from './byok/definition.ts';
import { cacheDefinition } from './cache/definition.ts';
import { contentRulesDefinition } from './content-rules/definition.ts';
import { costDefinition } from './cost/definition.ts';
import { jwtDefinition } from './jwt/definition.ts';
import { keyAuthDefinition } from './key-auth/definition.ts';
import { metricsDefinition } from './metrics/definition.ts';
import { outputValidationDefinition } from './output-validation/definition.ts';
import { piiDefinition } from './pii/definition.ts';
import { promptDecoratorDefinition } from './prompt-decorator/definition.ts';
import { promptGuardDefinition } from './prompt-guard/definition.ts';
import { promptTemplateDefinition } from './prompt-template/definition.ts';
import { rateLimitDefinition } from './rate-limit/definition.ts';
import { tracingDefinition } from './tracing/definition.ts';
import { usageLedgerDefinition } from './usage-ledger/definition.ts';

/**
 * Every built-in plugin by name: definitions only (name, priority, config schema), which config
 * validation needs; each plugin's code is imported when a config uses it (definePlugin). Add a
 * plugin: add its definition here.
 */
export const pluginDefinitions: ReadonlyMap<string, PluginDefinition> = new Map(
  ([accessLogDefinition, metricsDefinition, rateLimitDefinition, costDefinition, piiDefinition, promptGuardDefinition, keyAuthDefinition, jwtDefinition, anonymousDefinition, byokDefinition, usageLedgerDefinition, contentRulesDefinition, promptTemplateDefinition, promptDecoratorDefinition, outputValidationDefinition, cacheDefinition, tracingDefinition] as PluginDefinition[]).map((definition) => [definition.name, definition]),
);
