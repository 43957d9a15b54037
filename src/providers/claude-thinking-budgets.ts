/**
 * Claude's extended-thinking budget (tokens) for each OpenAI reasoning_effort; 'minimal' and no
 * effort ask for no extended thinking. One table for every route to Claude (Anthropic's API,
 * Bedrock), so the same request thinks as much whichever way it goes.
 */
export const claudeThinkingBudgets: Readonly<Record<string, number>> = { low: 1024, medium: 4096, high: 16384 };
