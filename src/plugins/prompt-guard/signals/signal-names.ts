/**
 * The name of every heuristic signal family (each signal in this folder carries one), for the
 * config's `disabled_signals`. Apart from the signals themselves so that validating a config
 * does not load them.
 */
export const signalNames = ['instruction_override', 'system_prompt_exfiltration', 'roleplay_jailbreak', 'delimiter_injection', 'encoded_payload', 'invisible_unicode', 'indirect_injection', 'classifier'] as const;

export type SignalName = (typeof signalNames)[number];
