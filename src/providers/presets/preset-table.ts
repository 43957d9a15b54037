import { mistralImplementation } from '../mistral/definition.ts';
import type { PresetSpec } from './preset-spec.ts';

/**
 * OpenAI-compatible services, one row each. Base URLs, env names and quirks were checked against
 * each service's own docs (the `docs` field); README.md lists the sources of each quirk.
 */
export const presetTable: readonly PresetSpec[] = [
  {
    type: 'mistral',
    description: 'Mistral AI',
    defaultBaseUrl: 'https://api.mistral.ai/v1',
    envPrefix: 'MISTRAL',
    requiresApiKey: true,
    // Mistral rejects every field outside its schema (422 extra_forbidden), leaves `type` out of
    // tool calls, has its own tool-call id rule, finish reason and reasoning content chunks: its
    // own adapter (providers/mistral/) adjusts requests and answers.
    implementation: mistralImplementation,
    docs: 'https://docs.mistral.ai/api/endpoint/chat',
  },
  {
    type: 'groq',
    description: 'Groq',
    defaultBaseUrl: 'https://api.groq.com/openai/v1',
    envPrefix: 'GROQ',
    requiresApiKey: true,
    // "The following fields are currently not supported and will result in a 400 error"; an
    // assistant's reasoning_content is refused too ("property 'reasoning_content' is unsupported").
    chatQuirks: {
      drop: ['logprobs', 'logit_bias', 'top_logprobs'],
      dropMessageFields: [
        { field: 'name', roles: ['system', 'developer', 'user', 'assistant'] },
        { field: 'reasoning_content', roles: ['assistant'] },
      ],
    },
    docs: 'https://console.groq.com/docs/openai',
  },
  {
    type: 'deepseek',
    description: 'DeepSeek (reasoning_content passes through)',
    defaultBaseUrl: 'https://api.deepseek.com/v1',
    envPrefix: 'DEEPSEEK',
    requiresApiKey: true,
    docs: 'https://api-docs.deepseek.com/',
  },
  {
    type: 'together',
    description: 'Together AI',
    defaultBaseUrl: 'https://api.together.ai/v1',
    envPrefix: 'TOGETHER',
    requiresApiKey: true,
    docs: 'https://docs.together.ai/docs/inference/openai-compatibility',
  },
  {
    type: 'fireworks',
    description: 'Fireworks AI',
    defaultBaseUrl: 'https://api.fireworks.ai/inference/v1',
    envPrefix: 'FIREWORKS',
    requiresApiKey: true,
    docs: 'https://docs.fireworks.ai/ (OpenAI compatibility)',
  },
  {
    type: 'openrouter',
    description: 'OpenRouter',
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
    envPrefix: 'OPENROUTER',
    requiresApiKey: true,
    // App attribution: current docs name X-OpenRouter-Title, earlier ones X-Title; both are sent.
    optionHeaders: { http_referer: 'HTTP-Referer', app_title: ['X-OpenRouter-Title', 'X-Title'] },
    // "Full usage details are now always included automatically in every response"
    // (stream_options.include_usage is deprecated and has no effect): docs/use-cases/usage-accounting.
    reportsStreamUsage: true,
    docs: 'https://openrouter.ai/docs/app-attribution',
  },
  {
    type: 'xai',
    description: 'xAI (Grok)',
    defaultBaseUrl: 'https://api.x.ai/v1',
    envPrefix: 'XAI',
    requiresApiKey: true,
    docs: 'https://docs.x.ai/api/integrations',
  },
  {
    type: 'perplexity',
    description: 'Perplexity (Sonar)',
    // Chat completions live at the root: https://api.perplexity.ai/chat/completions.
    defaultBaseUrl: 'https://api.perplexity.ai',
    envPrefix: 'PERPLEXITY',
    requiresApiKey: true,
    docs: 'https://docs.perplexity.ai/',
  },
  {
    type: 'cerebras',
    description: 'Cerebras Inference',
    defaultBaseUrl: 'https://api.cerebras.ai/v1',
    envPrefix: 'CEREBRAS',
    requiresApiKey: true,
    // "Currently unsupported OpenAI features ... will result in a 400 error"; an assistant's
    // reasoning_content is refused too (400 wrong_api_format, "property ... is unsupported").
    chatQuirks: {
      drop: ['frequency_penalty', 'logit_bias', 'presence_penalty', 'parallel_tool_calls', 'service_tier'],
      dropMessageFields: [{ field: 'reasoning_content', roles: ['assistant'] }],
    },
    docs: 'https://inference-docs.cerebras.ai/resources/openai',
  },
  {
    type: 'vllm',
    description: 'vLLM server (local)',
    defaultBaseUrl: 'http://127.0.0.1:8000/v1',
    envPrefix: 'VLLM',
    requiresApiKey: false,
    docs: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html',
  },
  {
    type: 'lmstudio',
    description: 'LM Studio server (local)',
    defaultBaseUrl: 'http://127.0.0.1:1234/v1',
    envPrefix: 'LMSTUDIO',
    requiresApiKey: false,
    docs: 'https://lmstudio.ai/docs/api/openai-api',
  },
  {
    type: 'llamacpp',
    description: 'llama.cpp server (local)',
    defaultBaseUrl: 'http://127.0.0.1:8080/v1',
    envPrefix: 'LLAMACPP',
    requiresApiKey: false,
    docs: 'https://github.com/ggml-org/llama.cpp/tree/master/tools/server',
  },
];
