/** What a command answers: a line or two for a person, and the same facts as one JSON object (`--json`). */
export interface CommandResult {
  text: string;
  json: Record<string, unknown>;
}
