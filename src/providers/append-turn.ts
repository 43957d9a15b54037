/** A conversation turn as Anthropic Messages and Bedrock Converse take it: a role and its content blocks. */
export interface Turn<Block> {
  role: 'user' | 'assistant';
  content: Block[];
}

/**
 * Adds `blocks` to the conversation as a turn of `role`. These APIs need user and assistant to
 * alternate and reject empty turns, so blocks of the same role as the last turn are merged into
 * it (several tool results become one user turn) and no blocks add nothing.
 */
export function appendTurn<Block>(turns: Array<Turn<Block>>, role: Turn<Block>['role'], blocks: Block[]): void {
  if (blocks.length === 0) return;
  const last = turns.at(-1);
  if (last?.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}
