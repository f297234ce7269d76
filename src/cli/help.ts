/** How `--help` shows defaults: as the values they are (`(default: 1)`, not `(default: "1")`). */
import type { Command } from 'commander';

/** Gives every option of `command` and its subcommands a default shown as its plain value. */
export function showDefaultsAsValues(command: Command): void {
  for (const option of command.options) {
    if (typeof option.defaultValue === 'string' && option.defaultValueDescription === undefined)
      option.defaultValueDescription = option.defaultValue;
  }
  for (const sub of command.commands) showDefaultsAsValues(sub);
}
