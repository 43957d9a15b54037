#!/usr/bin/env node
// First, before the rest of the command loads: V8's settings (tune-garbage-collector.ts) and the
// stop signals (stop-signals.ts), held from the process's first moments. The command's code is
// imported only then, dynamically: the bundle (scripts/build.ts) evaluates a module's static
// imports, and the chunks they pull in, before the module's own code.
import './tune-garbage-collector.ts';
import './stop-signals.ts';

await import('./run-command.ts');
